//! Where findings point (DESIGN section 4), data-driven: small policies in
//! `tests/data/policies/locations/` emit findings with known paths, inputs in
//! `tests/data/inputs/locations/` have those keys on known lines, and the table
//! below says which (rule, document, line, column) each pair must give.
//! Adding a case is one line.

use crate::support::{check_json, errors, spots, Spot};

/// One row: policy file stem, input file name, expected findings as
/// (rule, document, line, column), in any order.
type Case = (
    &'static str,
    &'static str,
    &'static [(&'static str, u64, u64, u64)],
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // A nested container field that exists: the `privileged: true` line, at the key.
    ("nested",  "pod.yaml",            &[("LOC-NESTED", 1, 14, 9)]),
    // A missing field: the nearest existing ancestor, i.e. the container item
    // (which starts at `name` after the dash) when it has no `resources`, else `resources:`.
    ("missing", "pod.yaml",            &[("LOC-MISSING", 1, 11, 7), ("LOC-MISSING", 1, 17, 7)]),
    // No path: metadata.name.
    ("nopath",  "pod.yaml",            &[("LOC-NOPATH", 1, 5, 3)]),
    // No path and no metadata.name: the start of the document (after its comment).
    ("nopath",  "noname.yaml",         &[("LOC-NOPATH", 1, 2, 1)]),
    // The path as a JSON pointer string, with `~1` for the `/` in an annotation key,
    // and a pointer through an array index.
    ("pointer", "pod.yaml",            &[("LOC-POINTER", 1, 8, 5), ("LOC-POINTER-IMAGE", 1, 12, 7)]),
    // A top-level key.
    ("root",    "pod.yaml",            &[("LOC-ROOT", 1, 2, 1)]),
    // `kind: List`: each item is a document of its own, at its own lines.
    ("nested",  "list.yaml",           &[("LOC-NESTED", 1, 20, 13)]),
    ("nopath",  "list.yaml",           &[("LOC-NOPATH", 1, 8, 7), ("LOC-NOPATH", 1, 14, 7)]),
    ("root",    "list.yaml",           &[("LOC-ROOT", 1, 5, 5), ("LOC-ROOT", 1, 11, 5)]),
    // The second document of a multi-document stream (a flow mapping there).
    ("nested",  "stream.yaml",         &[("LOC-NESTED", 2, 22, 25)]),
    ("nopath",  "stream.yaml",         &[("LOC-NOPATH", 1, 5, 3), ("LOC-NOPATH", 2, 16, 3)]),
    ("root",    "stream.yaml",         &[("LOC-ROOT", 1, 2, 1), ("LOC-ROOT", 2, 13, 1)]),
    // Empty and comment-only documents keep their index (the Pod is document 4).
    ("nested",  "sparse-stream.yaml",  &[("LOC-NESTED", 4, 22, 9)]),
    ("nopath",  "sparse-stream.yaml",  &[("LOC-NOPATH", 3, 10, 3), ("LOC-NOPATH", 4, 16, 3)]),
    // JSON: keys are located at their opening quote.
    ("nested",  "pod.json",            &[("LOC-NESTED", 1, 13, 29)]),
    ("missing", "pod.json",            &[("LOC-MISSING", 1, 10, 7), ("LOC-MISSING", 1, 15, 70)]),
    ("nopath",  "pod.json",            &[("LOC-NOPATH", 1, 5, 5)]),
    ("pointer", "pod.json",            &[("LOC-POINTER", 1, 6, 21), ("LOC-POINTER-IMAGE", 1, 12, 9)]),
    // CRLF line endings: the same lines and columns as pod.yaml (CRLF is one break).
    ("nested",  "crlf.yaml",           &[("LOC-NESTED", 1, 14, 9)]),
    ("missing", "crlf.yaml",           &[("LOC-MISSING", 1, 11, 7), ("LOC-MISSING", 1, 17, 7)]),
    ("pointer", "crlf.yaml",           &[("LOC-POINTER", 1, 8, 5), ("LOC-POINTER-IMAGE", 1, 12, 7)]),
    // A UTF-8 byte-order mark and non-ASCII text: columns count characters, the
    // BOM is not a column, and `example.com/owner` follows "déjà-vu" and "ça" on line 7.
    ("nested",  "bom.yaml",            &[("LOC-NESTED", 1, 13, 9)]),
    ("pointer", "bom.yaml",            &[("LOC-POINTER", 1, 7, 34), ("LOC-POINTER-IMAGE", 1, 11, 7)]),
    ("root",    "bom-first-line.yaml", &[("LOC-ROOT", 1, 1, 1)]),
    // UTF-16LE with a BOM and CRLF (what PowerShell 5 redirection writes).
    ("nested",  "utf16le.yaml",        &[("LOC-NESTED", 1, 14, 9)]),
    ("pointer", "utf16le.yaml",        &[("LOC-POINTER", 1, 8, 5), ("LOC-POINTER-IMAGE", 1, 12, 7)]),
    // Anchors and aliases: a value reached through an alias (or a merge key) is
    // located where it is written, at the anchor (line 12, for all three containers);
    // a key that holds an alias is located at that key (`resources: *res`, line 19).
    ("nested",  "anchors.yaml",        &[("LOC-NESTED", 1, 12, 9), ("LOC-NESTED", 1, 12, 9), ("LOC-NESTED", 1, 12, 9)]),
    ("missing", "anchors.yaml",        &[("LOC-MISSING", 1, 13, 7), ("LOC-MISSING", 1, 19, 7), ("LOC-MISSING", 1, 20, 7)]),
];

fn sorted(mut spots: Vec<Spot>) -> Vec<Spot> {
    spots.sort();
    spots
}

#[test]
fn findings_point_at_the_expected_lines() {
    let mut failures = Vec::new();
    for (policy, input, expected) in CASES {
        let policy_path = format!("tests/data/policies/locations/{policy}.rego");
        let input_path = format!("tests/data/inputs/locations/{input}");
        let (_, report) = check_json(["-p", &policy_path, &input_path]);
        if !errors(&report).is_empty() {
            failures.push(format!("{policy} x {input}: errors {:#}", report["errors"]));
            continue;
        }
        let expected = sorted(
            expected
                .iter()
                .map(|(rule, doc, line, col)| (rule.to_string(), *doc, *line, *col))
                .collect(),
        );
        let actual = sorted(spots(&report));
        if actual != expected {
            failures.push(format!(
                "{policy} x {input}:\n  expected {expected:?}\n  actual   {actual:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} location cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_input_and_policy_of_the_table_exists() {
    // A typo in the table must not turn a case into an input-not-found error that
    // some other assertion happens to accept.
    for (policy, input, _) in CASES {
        let root = std::path::Path::new(crate::support::ROOT).join("tests/data");
        assert!(
            root.join(format!("policies/locations/{policy}.rego"))
                .is_file(),
            "{policy}"
        );
        assert!(
            root.join(format!("inputs/locations/{input}")).is_file(),
            "{input}"
        );
    }
}

#[test]
fn findings_carry_the_path_and_resource_they_were_located_from() {
    let (_, report) = check_json([
        "-p",
        "tests/data/policies/locations/pointer.rego",
        "tests/data/inputs/locations/pod.yaml",
    ]);
    let f = &report["findings"][0];
    assert_eq!(f["rule"], "LOC-POINTER", "{report:#}");
    assert_eq!(f["path"], "/metadata/annotations/example.com~1owner");
    assert_eq!(
        f["resource"],
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "namespace": "shop", "name": "web"})
    );
    assert_eq!(f["policy"], "tests.locations.pointer");
    // The span covers `example.com/owner: team-a` on one line.
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(8), Some(30))
    );
}
