//! Authoring commands: `policy lint` (every problem of a policy set, with its
//! code and place), `policy rules`, `policy eval`, `policy test --coverage`,
//! and `policy check --severity-threshold`.

use serde_json::Value;

use crate::support::run;

const LINT_BAD: &str = "tests/data/authoring/lint-bad";
const LINT_WARN: &str = "tests/data/authoring/lint-warn";
const CLEAN: &str = "tests/data/authoring/clean";

/// (level, code, file name, line) of every diagnostic of `policy lint -o json`.
fn lint_json(args: &[&str]) -> (i32, Vec<(String, String, String, u64)>) {
    let mut all = vec!["lint", "-o", "json"];
    all.extend_from_slice(args);
    let out = run(all, None);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let rows = doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or_default();
            (
                d["level"].as_str().unwrap_or_default().to_owned(),
                d["code"].as_str().unwrap_or_default().to_owned(),
                file.rsplit('/').next().unwrap_or(file).to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    (out.code(), rows)
}

fn row(level: &str, code: &str, file: &str, line: u64) -> (String, String, String, u64) {
    (level.into(), code.into(), file.into(), line)
}

#[test]
fn lint_reports_every_problem_of_every_file() {
    let (code, rows) = lint_json(&[LINT_BAD]);
    assert_eq!(code, 2);
    assert_eq!(
        rows,
        [
            row("error", "rego-undefined-function", "calls.rego", 9),
            row("error", "rego-recursion", "calls.rego", 12),
            row("error", "metadata-duplicate-id", "meta_b.rego", 4),
            row("error", "metadata-unknown-severity", "meta_b.rego", 5),
            row("error", "rego-parse-error", "syntax.rego", 5),
        ]
    );
}

#[test]
fn lint_human_output_has_code_frames_in_the_policy_file() {
    let out = run(["lint", LINT_BAD], None);
    out.assert_code(2);
    assert!(
        out.stdout
            .contains("[tests/data/authoring/lint-bad/calls.rego:9:"),
        "{out}"
    );
    assert!(out.stdout.contains("no_such_helper(input)"), "{out}");
    assert!(
        out.stdout.contains("also the id of `authoring.meta_a.deny`")
            && out.stdout.contains("meta_a.rego:4)"),
        "both places of a duplicate id: {out}"
    );
    assert!(out.stdout.contains("4 error(s)") || out.stdout.contains("5 error(s)"), "{out}");
}

#[test]
fn lint_warnings_exit_0_unless_strict() {
    let (code, rows) = lint_json(&[LINT_WARN]);
    assert_eq!(code, 0);
    assert_eq!(
        rows,
        [
            row("warning", "unused-import", "rule.rego", 3),
            row("warning", "metadata-missing-id", "rule.rego", 5),
            row("warning", "metadata-missing-severity", "rule.rego", 5),
        ]
    );
    run(["lint", "--strict", LINT_WARN], None).assert_code(2);
    run(["lint", "--strict", CLEAN], None).assert_code(0);
}

#[test]
fn the_builtin_library_has_no_lint_errors() {
    for args in [vec![], vec!["policies/"]] {
        let (code, rows) = lint_json(&args);
        assert_eq!(code, 0, "{rows:?}");
        let errors: Vec<_> = rows.iter().filter(|r| r.0 == "error").collect();
        assert!(errors.is_empty(), "{errors:?}");
        let metadata: Vec<_> = rows.iter().filter(|r| r.1.starts_with("metadata")).collect();
        assert!(metadata.is_empty(), "{metadata:?}");
    }
}

#[test]
fn check_still_refuses_recursive_policies() {
    let out = run(
        ["check", "-p", LINT_BAD, "fixtures/kubernetes/good"],
        None,
    );
    out.assert_code(2);
}
