//! Inputs and policies that cannot be checked (DESIGN sections 2 and 5): each
//! gives a clear error with the file and, where known, the line, exits 2, and
//! never stops the other inputs of the run from being checked. Hostile inputs
//! (alias bombs, deep nesting, huge files) are refused or handled without a
//! crash, a hang or a memory blowup.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use crate::support::{check_json, errors, errors_with_code, findings, notices, run, ROOT};

const NESTED: &str = "tests/data/policies/locations/nested.rego";
/// A valid input checked beside every bad one: its finding must still be reported.
const COMPANION: &str = "tests/data/inputs/locations/pod.yaml";

/// Checks `bad` together with [`COMPANION`]: exit 2, exactly one error, on
/// `bad`, with `code`; the companion's finding still there. Returns the error,
/// or what was wrong.
fn rejected_beside_a_good_file(bad: &str, extra: &[&str], code: &str) -> Result<Value, String> {
    let mut args = vec!["-p", NESTED];
    args.extend_from_slice(extra);
    args.extend([bad, COMPANION]);
    let (out, report) = check_json(&args);
    let errs = errors(&report);
    if out.code() != 2 {
        return Err(format!(
            "{bad}: exit code {} instead of 2\n{report:#}",
            out.code()
        ));
    }
    if errs.len() != 1 || errs[0]["file"] != bad || errs[0]["code"] != code {
        return Err(format!(
            "{bad}: expected one {code} error on it, got {:#}",
            report["errors"]
        ));
    }
    if errs[0]["message"].as_str().unwrap_or_default().is_empty() {
        return Err(format!("{bad}: the error has no message"));
    }
    let companion = findings(&report)
        .iter()
        .filter(|f| f["file"] == COMPANION && f["rule"] == "LOC-NESTED")
        .count();
    if companion != 1 {
        return Err(format!(
            "{bad}: the good file beside it was not checked\n{report:#}"
        ));
    }
    Ok(errs[0].clone())
}

#[track_caller]
fn assert_rejected_beside_a_good_file(bad: &str, extra: &[&str], code: &str) -> Value {
    rejected_beside_a_good_file(bad, extra, code).unwrap_or_else(|e| panic!("{e}"))
}

/// (input under tests/data/inputs/bad, error code, line of the error)
#[rustfmt::skip]
const BAD_FILES: &[(&str, &str, u64)] = &[
    // The `}` that closes a `[` on line 9.
    ("malformed.yaml",      "yaml-parse-error", 9),
    // Latin-1 byte 0xE9 on line 5.
    ("not-utf8.yaml",       "not-utf8",         5),
    // A TAB starts line 6, right after the plain scalar that ends line 5 (PyYAML: line 6).
    ("tab-after-scalar.yaml", "yaml-parse-error", 6),
    // The string opened on line 8 never ends.
    ("truncated.json",      "json-truncated",   8),
    // 9 levels x 9 aliases; the limit is passed on one of the alias lines (8 to 15).
    ("billion-laughs.yaml", "yaml-alias-bomb",  0),
];

#[test]
fn bad_files_are_errors_with_code_and_line_and_the_others_are_still_checked() {
    let mut problems = Vec::new();
    for (name, code, line) in BAD_FILES {
        let path = format!("tests/data/inputs/bad/{name}");
        let err = match rejected_beside_a_good_file(&path, &[], code) {
            Ok(err) => err,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let got = err["line"].as_u64();
        let expected = if *line > 0 { *line..=*line } else { 8..=15 };
        if !got.is_some_and(|l| expected.contains(&l)) {
            problems.push(format!(
                "{name}: error line {got:?}, expected {expected:?}: {err}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_empty_file_has_no_documents_and_is_not_an_error() {
    let (out, report) = check_json(["-p", NESTED, "tests/data/inputs/bad/empty.yaml"]);
    out.assert_code(0);
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["summary"]["documents"], 0);
    assert!(errors(&report).is_empty(), "{report:#}");
}

#[test]
fn a_duplicate_key_is_a_notice_with_its_line_and_the_last_value_wins() {
    let (out, report) = check_json([
        "-p",
        "tests/data/policies/image",
        "tests/data/inputs/bad/duplicate-key.yaml",
    ]);
    // A notice does not change the exit code: 1 comes from the finding.
    out.assert_code(1);
    assert!(errors(&report).is_empty(), "{report:#}");
    let notes = notices(&report);
    assert_eq!(notes.len(), 1, "{report:#}");
    assert_eq!(notes[0]["code"], "duplicate-key");
    assert_eq!(notes[0]["line"], 12);
    assert_eq!(notes[0]["file"], "tests/data/inputs/bad/duplicate-key.yaml");
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(
        f[0]["message"], "container \"app\" runs registry.example.com/app:latest",
        "the last value of the duplicated key must win"
    );
    assert_eq!(f[0]["line"], 12, "the finding points at the key that won");
}

#[test]
fn a_duplicate_key_notice_shows_in_human_output_without_changing_the_exit_code() {
    let out = run(
        [
            "check",
            "--color",
            "never",
            "-p",
            NESTED,
            "tests/data/inputs/bad/duplicate-key.yaml",
        ],
        None,
    );
    out.assert_code(0);
    assert!(
        out.stdout
            .contains("tests/data/inputs/bad/duplicate-key.yaml:12:7"),
        "{out}"
    );
    assert!(out.stdout.contains("duplicate-key"), "{out}");
}

/// Writes `text` to `name` in a new temp dir.
fn temp_file(name: &str, text: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write temp file");
    let path = path.to_str().expect("utf-8 temp path").to_owned();
    (dir, path)
}

#[test]
fn a_10000_deep_flow_sequence_is_refused_as_too_deep() {
    let deep = format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (_dir, path) = temp_file("deep.yaml", deep.as_bytes());
    let err = assert_rejected_beside_a_good_file(&path, &[], "nesting-too-deep");
    assert_eq!(err["line"], 1, "{err:#}");
}

#[test]
fn a_10000_deep_kubernetes_value_is_refused_as_too_deep() {
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (_dir, path) = temp_file("deep-object.yaml", deep.as_bytes());
    let err = assert_rejected_beside_a_good_file(&path, &[], "nesting-too-deep");
    assert_eq!(err["line"], 6, "{err:#}");
}

#[test]
fn a_10000_deep_json_array_is_refused_as_too_deep() {
    // The same hostile input as JSON gets the same stable code as in YAML.
    let deep = format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (_dir, path) = temp_file("deep.json", deep.as_bytes());
    assert_rejected_beside_a_good_file(&path, &[], "nesting-too-deep");
}

#[cfg(target_os = "linux")]
#[test]
fn the_alias_bomb_is_refused_within_a_1_gib_address_space() {
    // If the loader expanded the aliases, 9^9 strings would not fit: under
    // `ulimit -v` the run would be killed or fail to allocate instead of
    // reporting yaml-alias-bomb.
    let bin = assert_cmd::cargo::cargo_bin("policy");
    let started = Instant::now();
    let output = std::process::Command::new("sh")
        .current_dir(ROOT)
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\""])
        .arg(&bin)
        .args([
            "check",
            "-o",
            "json",
            // A fixed worker count: each worker reserves a 16 MiB stack, which
            // must not eat the address-space budget on a many-core machine.
            "--jobs",
            "2",
            "-p",
            NESTED,
            "tests/data/inputs/bad/billion-laughs.yaml",
            COMPANION,
        ])
        .output()
        .expect("sh runs");
    let elapsed = started.elapsed();
    eprintln!("alias bomb checked in {elapsed:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(2),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(
        errors_with_code(&report, "yaml-alias-bomb").len(),
        1,
        "{report:#}"
    );
    assert_eq!(findings(&report).len(), 1, "{report:#}");
}

#[test]
fn a_file_over_max_file_size_is_refused_and_smaller_ones_are_checked() {
    let big = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: \"{}\"\n",
        "x".repeat(2000)
    );
    let (_dir, path) = temp_file("big.yaml", big.as_bytes());
    let companion_size = std::fs::metadata(Path::new(ROOT).join(COMPANION))
        .expect("companion")
        .len();
    assert!(
        companion_size < 1000,
        "the companion must fit under the limit"
    );
    let err =
        assert_rejected_beside_a_good_file(&path, &["--max-file-size", "1000"], "input-too-large");
    assert!(
        err["message"].as_str().unwrap_or_default().contains("1000"),
        "{err:#}"
    );
}

#[test]
fn a_file_of_50_mb_is_checked_not_crashed() {
    // 50 MB of many documents, each a ConfigMap with a ~50 KB block scalar (a
    // shape the debug-built parser reads in seconds); the last one is flagged
    // by a trivial policy, so the finding also proves that line numbers hold
    // 3 million lines into the file.
    let body: String =
        "    lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n".repeat(680);
    let document = |name: &str| {
        format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  blob: |\n{body}")
    };
    let per_document = document("cm-0000").len();
    let documents = (50 * 1024 * 1024usize).div_ceil(per_document);
    let lines_per_document = document("cm-0000").matches('\n').count();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.yaml");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for i in 1..documents {
        file.write_all(document(&format!("cm-{i:04}")).as_bytes())
            .expect("write");
    }
    file.write_all(document("flag-me").as_bytes())
        .expect("write");
    file.flush().expect("flush");
    drop(file);
    let size = std::fs::metadata(&path).expect("written").len();
    assert!(size >= 50 * 1024 * 1024);
    // `name:` is the 5th line of the last document.
    let flagged_line = (documents - 1) * lines_per_document + 5;
    let path = path.to_str().expect("utf-8 temp path");
    let started = Instant::now();
    let (out, report) = check_json(["-p", "tests/data/policies/trivial", path]);
    eprintln!(
        "{} bytes, {documents} documents checked in {:?}",
        size,
        started.elapsed()
    );
    out.assert_code(1);
    assert!(errors(&report).is_empty(), "{:#}", report["errors"]);
    assert_eq!(report["summary"]["documents"], documents);
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{:#}", report["findings"]);
    assert_eq!(f[0]["document"], documents);
    assert_eq!(f[0]["line"], flagged_line);
}

#[test]
fn a_policy_with_a_syntax_error_exits_2_naming_the_file_and_line() {
    let policy = "tests/data/policies/broken/syntax";
    let out = run(["check", "--color", "never", "-p", policy, COMPANION], None);
    out.assert_code(2);
    assert!(
        out.stderr
            .contains("tests/data/policies/broken/syntax/syntax.rego:5:"),
        "stderr must name the policy file and line 5\n{out}"
    );
    assert!(out.stderr.contains("rego-parse-error"), "{out}");
    assert!(
        out.stdout.trim().is_empty(),
        "nothing is checked with a broken policy\n{out}"
    );
}

#[test]
fn a_policy_calling_an_undefined_function_exits_2_naming_the_file_and_line() {
    // OPA rejects this at compile time; the user must hear about the policy
    // once, on stderr, not once per input document.
    let policy = "tests/data/policies/broken/undefined-function";
    let out = run(
        [
            "check",
            "--color",
            "never",
            "-p",
            policy,
            COMPANION,
            "tests/data/inputs/locations/pod.json",
        ],
        None,
    );
    out.assert_code(2);
    assert!(
        out.stderr
            .contains("tests/data/policies/broken/undefined-function/undefined.rego:6:"),
        "stderr must name the policy file and line 6\n{out}"
    );
    assert!(
        out.stdout.trim().is_empty(),
        "nothing is checked with a broken policy\n{out}"
    );
}

#[test]
fn a_missing_policy_directory_exits_2() {
    let out = run(
        ["check", "-p", "tests/data/policies/no-such-dir", COMPANION],
        None,
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains("tests/data/policies/no-such-dir"),
        "{out}"
    );
}

#[test]
fn a_looping_policy_times_out_and_the_other_documents_are_still_checked() {
    let started = Instant::now();
    let (out, report) = check_json([
        "-p",
        "tests/data/policies/loop",
        "--timeout",
        "0.5",
        "tests/data/inputs/loop",
    ]);
    eprintln!("looping policy run took {:?}", started.elapsed());
    out.assert_code(2);
    let timeouts = errors_with_code(&report, "evaluation-timeout");
    assert_eq!(timeouts.len(), 1, "{report:#}");
    assert_eq!(timeouts[0]["file"], "tests/data/inputs/loop/loop.yaml");
    // The error is on the looping document (document 1 starts at line 2).
    assert_eq!(timeouts[0]["line"], 2, "{report:#}");
    let checked: Vec<_> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["file"].as_str(),
                f["document"].as_u64(),
                f["message"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        checked,
        [
            (
                Some("tests/data/inputs/loop/loop.yaml"),
                Some(2),
                Some("after-loop was checked")
            ),
            (
                Some("tests/data/inputs/loop/other.yaml"),
                Some(1),
                Some("elsewhere was checked")
            ),
        ],
        "{report:#}"
    );
}

#[test]
fn an_evaluation_error_exits_2_and_other_rules_and_documents_are_still_checked() {
    let (out, report) = check_json([
        "-p",
        "tests/data/policies/eval-error",
        "-p",
        NESTED,
        "tests/data/inputs/eval-error/divide.yaml",
        COMPANION,
    ]);
    out.assert_code(2);
    let errs = errors_with_code(&report, "evaluation-error");
    assert_eq!(errs.len(), 1, "{report:#}");
    assert_eq!(errs[0]["file"], "tests/data/inputs/eval-error/divide.yaml");
    let message = errs[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("eval_error.rego:5") && message.contains("divide by zero"),
        "the message names the policy line and the reason: {message}"
    );
    let found: Vec<_> = findings(&report)
        .iter()
        .map(|f| (f["file"].as_str(), f["rule"].as_str(), f["line"].as_u64()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Some("tests/data/inputs/eval-error/divide.yaml"),
                Some("LOC-NESTED"),
                Some(12)
            ),
            (Some(COMPANION), Some("LOC-NESTED"), Some(14)),
        ],
        "{report:#}"
    );
}

/// regorus' VM (the webhook's default evaluator) turns a built-in error into an
/// undefined value where the interpreter reports it: the documented difference
/// (docs/compatibility.md) that keeps `policy check` on the interpreter.
#[test]
fn with_the_vm_engine_a_division_by_zero_is_undefined_not_an_error() {
    let (out, report) = check_json([
        "--engine",
        "vm",
        "-p",
        "tests/data/policies/eval-error",
        "-p",
        NESTED,
        "tests/data/inputs/eval-error/divide.yaml",
    ]);
    out.assert_code(1);
    assert!(
        errors_with_code(&report, "evaluation-error").is_empty(),
        "{report:#}"
    );
    let rules: Vec<_> = findings(&report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(rules, ["LOC-NESTED"], "{report:#}");
}

#[test]
fn a_recursive_policy_is_refused_before_anything_is_evaluated() {
    // Without the static check this input would crash the process with a stack
    // overflow; the user must get a diagnostic naming the functions instead.
    let policy = "tests/data/policies/broken/recursion";
    let out = run(
        [
            "check",
            "--color",
            "never",
            "-p",
            policy,
            "tests/data/inputs/locations/pod.json",
        ],
        None,
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains("rego-recursion")
            && out.stderr.contains("data.tests.broken.recursion.depth")
            && out.stderr.contains("recursion.rego:5:"),
        "stderr must name the cycle and where it starts\n{out}"
    );
    assert!(out.stdout.trim().is_empty(), "nothing is checked\n{out}");
}
