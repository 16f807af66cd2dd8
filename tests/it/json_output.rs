//! `policy check -o json`, version 1 (README): the shape, checked with the JSON
//! Schema in `tests/data/output-v1.schema.json` (every JSON run of this suite
//! goes through it, see `support::check_json`), the summary against the arrays,
//! and the documented order of findings.

use serde_json::Value;

use crate::support::{check_json, errors, findings, notices, schema_problems};

/// A run with findings of both levels, errors and a notice, over several files.
fn rich_report() -> Value {
    let (out, report) = check_json([
        "-p",
        "tests/data/policies/locations",
        "tests/data/inputs/locations",
        "tests/data/inputs/bad/malformed.yaml",
        "tests/data/inputs/bad/duplicate-key.yaml",
    ]);
    out.assert_code(2);
    report
}

#[test]
fn a_report_with_everything_matches_the_schema_and_its_summary() {
    let report = rich_report();
    assert_eq!(report["version"], 1);
    let summary = &report["summary"];
    assert!(summary["failures"].as_u64() > Some(0), "{summary}");
    assert!(summary["warnings"].as_u64() > Some(0), "{summary}");
    assert_eq!(summary["errors"], 1, "{report:#}");
    assert_eq!(summary["waived"], 0);
    // Every file of the inputs directory, plus the two named ones.
    let dir = std::path::Path::new(crate::support::ROOT).join("tests/data/inputs/locations");
    let in_dir = std::fs::read_dir(dir).expect("inputs").count();
    assert_eq!(summary["files"], in_dir + 2, "{summary}");
    assert!(
        summary["documents"].as_u64() >= Some(in_dir as u64),
        "{summary}"
    );
    assert_eq!(notices(&report).len(), 1, "{report:#}");
}

#[test]
fn an_empty_run_matches_the_schema() {
    let (out, report) = check_json(["tests/data/inputs/bad/empty.yaml"]);
    out.assert_code(0);
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 1, "documents": 0, "failures": 0, "warnings": 0, "waived": 0, "errors": 0})
    );
    assert!(findings(&report).is_empty() && errors(&report).is_empty());
}

#[test]
fn the_schema_rejects_what_version_1_does_not_allow() {
    // The schema is only a test if it can fail: a report missing a documented
    // field or with a mistyped one must be rejected.
    let good = rich_report();
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 4] = [
        ("no version", |r| {
            r.as_object_mut().expect("object").remove("version");
        }),
        ("line is a string", |r| {
            r["findings"][0]["line"] = "1".into()
        }),
        ("level is unknown", |r| {
            r["findings"][0]["level"] = "fatal".into()
        }),
        ("error without code", |r| {
            r["errors"][0]
                .as_object_mut()
                .expect("object")
                .remove("code");
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(
            !schema_problems(&bad).is_empty(),
            "the schema accepted a report with {what}"
        );
    }
}

/// The documented order: (file, line, column, rule).
fn order_key(f: &Value) -> (String, u64, u64, String) {
    (
        f["file"].as_str().unwrap_or_default().to_owned(),
        f["line"].as_u64().unwrap_or_default(),
        f["column"].as_u64().unwrap_or_default(),
        f["rule"].as_str().unwrap_or_default().to_owned(),
    )
}

fn assert_sorted(report: &Value) {
    let keys: Vec<_> = findings(report).iter().map(order_key).collect();
    let out_of_order: Vec<_> = keys.windows(2).filter(|w| w[0] > w[1]).collect();
    assert!(
        out_of_order.is_empty(),
        "findings are not sorted by (file, line, column, rule); first pairs out of order: {:?}",
        &out_of_order[..out_of_order.len().min(3)]
    );
}

#[test]
fn findings_are_sorted_by_file_line_column_rule() {
    assert_sorted(&rich_report());
}

#[test]
fn findings_at_the_same_position_are_sorted_by_rule_whatever_their_extent() {
    // SORT-A and SORT-B both start at 11:7 of pod.yaml (the first container's
    // `name`); SORT-A spans the whole container item, SORT-B one line. By the
    // documented order SORT-A comes first.
    let (_, report) = check_json([
        "-p",
        "tests/data/policies/sorting",
        "tests/data/inputs/locations/pod.yaml",
    ]);
    let positions: Vec<_> = findings(&report)
        .iter()
        .map(|f| (f["rule"].as_str(), f["line"].as_u64(), f["column"].as_u64()))
        .collect();
    assert_eq!(
        positions,
        [
            (Some("SORT-A"), Some(11), Some(7)),
            (Some("SORT-B"), Some(11), Some(7))
        ],
        "{report:#}"
    );
}

#[test]
fn findings_have_their_metadata_and_level() {
    let (_, report) = check_json([
        "-p",
        "tests/data/policies/locations/nested.rego",
        "-p",
        "tests/data/policies/locations/missing.rego",
        "tests/data/inputs/locations/pod.yaml",
    ]);
    let by_rule = |rule: &str| -> Vec<&Value> {
        findings(&report)
            .iter()
            .filter(|f| f["rule"] == rule)
            .collect()
    };
    let nested = by_rule("LOC-NESTED");
    assert_eq!(nested.len(), 1, "{report:#}");
    assert_eq!(nested[0]["level"], "failure");
    assert_eq!(nested[0]["severity"], "high");
    assert_eq!(nested[0]["title"], "Privileged container");
    assert_eq!(
        nested[0]["remediation"],
        "Set securityContext.privileged to false."
    );
    assert_eq!(nested[0]["message"], "container \"app\" is privileged");
    assert_eq!(
        nested[0]["path"],
        "/spec/containers/0/securityContext/privileged"
    );
    let missing = by_rule("LOC-MISSING");
    assert_eq!(missing.len(), 2, "{report:#}");
    assert!(missing
        .iter()
        .all(|f| f["level"] == "warning" && f["severity"] == "low"));
    assert_eq!(report["summary"]["failures"], 1);
    assert_eq!(report["summary"]["warnings"], 2);
}

#[test]
fn errors_have_a_file_a_stable_code_and_a_position_when_known() {
    let report = rich_report();
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{report:#}");
    assert_eq!(errs[0]["file"], "tests/data/inputs/bad/malformed.yaml");
    assert_eq!(errs[0]["code"], "yaml-parse-error");
    assert_eq!(errs[0]["line"], 9);
}

#[test]
fn the_report_is_the_same_whatever_the_number_of_workers() {
    let args = |jobs: &'static str| {
        [
            "--jobs",
            jobs,
            "-p",
            "tests/data/policies/locations",
            "tests/data/inputs/locations",
            "tests/data/inputs/bad",
        ]
    };
    let (_, one) = check_json(args("1"));
    let (_, four) = check_json(args("4"));
    assert_eq!(one, four, "parallel evaluation must not change the report");
}
