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
    assert!(out.stdout.contains("5 error(s), 0 warning(s)"), "{out}");
    let json = run(["lint", "-o", "json", LINT_BAD], None);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap_or_default();
    let duplicate = doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["code"] == "metadata-duplicate-id")
        .and_then(|d| d["message"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        duplicate.contains("`AUTH-DUP`") && duplicate.contains("meta_a.rego:4"),
        "both places of a duplicate id: {duplicate}"
    );
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
        let metadata: Vec<_> = rows
            .iter()
            .filter(|r| r.1.starts_with("metadata"))
            .collect();
        assert!(metadata.is_empty(), "{metadata:?}");
    }
}

#[test]
fn check_still_refuses_recursive_policies() {
    let dir = "tests/data/authoring/recursive";
    let out = run(["check", "-p", dir, "fixtures/kubernetes/good"], None);
    out.assert_code(2);
    assert!(out.stderr.contains("rego-recursion"), "{out}");
    let (code, rows) = lint_json(&[dir]);
    assert_eq!(code, 2);
    assert!(
        rows.contains(&row("error", "rego-recursion", "loop.rego", 7)),
        "{rows:?}"
    );
}

#[test]
fn rules_lists_the_builtin_library_sorted_by_id() {
    let out = run(["rules", "-o", "json"], None);
    out.assert_code(0);
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap_or_default();
    assert!(rows.len() > 50, "{out}");
    let ids: Vec<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    let privileged = rows
        .iter()
        .find(|r| r["id"] == "K8S-POD-001")
        .unwrap_or_else(|| panic!("K8S-POD-001 listed: {out}"));
    assert_eq!(privileged["severity"], "high");
    assert_eq!(privileged["level"], "failure");
    assert_eq!(privileged["package"], "railyard.kubernetes.privileged");
    assert!(privileged["targets"]
        .as_array()
        .is_some_and(|t| t.iter().any(|k| k == "Deployment")));
    let human = run(["rules"], None);
    human.assert_code(0);
    assert!(human.stdout.starts_with("ID "), "{human}");
    assert!(human.stdout.contains("K8S-POD-001"), "{human}");
}

#[test]
fn rules_of_a_policy_directory() {
    let out = run(["rules", "-p", CLEAN], None);
    out.assert_code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[1].starts_with("AUTH-CLEAN-001") && lines[1].contains("warning"));
    assert!(lines[1].contains("Replicas") && lines[1].ends_with("Deployment"));
    run(["rules", "-p", "tests/data/authoring/recursive"], None).assert_code(2);
}

fn eval_json(args: &[&str], stdin: Option<&[u8]>) -> Value {
    let mut all = vec!["eval"];
    all.extend_from_slice(args);
    let out = run(all, stdin);
    out.assert_code(0);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

#[test]
fn eval_a_rule_of_the_builtin_library_against_a_manifest() {
    let doc = eval_json(
        &[
            "data.railyard.kubernetes.privileged.deny",
            "-i",
            "fixtures/kubernetes/bad/privileged-deployment.yaml",
        ],
        None,
    );
    let result = doc["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(result.len(), 1, "{doc}");
    assert!(result[0]["msg"]
        .as_str()
        .is_some_and(|m| m.contains("privileged")));
    // Undefined: OPA's empty object.
    assert_eq!(
        eval_json(&["data.railyard.no_such_package.x"], None),
        serde_json::json!({})
    );
}

#[test]
fn eval_with_own_policies_stdin_input_and_bindings() {
    let doc = eval_json(
        &["data.authoring.clean.warn", "-p", CLEAN, "-i", "-"],
        Some(b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: one\nspec:\n  replicas: 1\n"),
    );
    assert_eq!(
        doc["result"][0]["msg"], "Deployment \"one\" runs one replica",
        "{doc}"
    );
    let doc = eval_json(
        &["k := input.kind", "-i", "-"],
        Some(b"{\"kind\": \"Pod\"}"),
    );
    assert_eq!(doc["result"][0]["bindings"]["k"], "Pod", "{doc}");
}

#[test]
fn eval_errors_exit_2() {
    run(["eval", "data.x :="], None).assert_code(2);
    run(
        ["eval", "input.a", "-i", "tests/data/authoring/missing.yaml"],
        None,
    )
    .assert_code(2);
    run(
        ["eval", "data.x", "-p", "tests/data/authoring/recursive"],
        None,
    )
    .assert_code(2);
    let out = run(["eval", "input.a", "-i", "-"], Some(b"a: [1,\n"));
    out.assert_code(2);
    assert!(out.stderr.contains("yaml-parse-error"), "{out}");
}

#[test]
fn coverage_reports_lines_no_test_evaluated() {
    let out = run(["test", CLEAN, "--coverage", "-o", "json"], None);
    out.assert_code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let files = doc["coverage"]["files"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // Only the policy: not its _test.rego file, not the embedded helpers, not generated modules.
    assert_eq!(files.len(), 1, "{doc:#}");
    assert_eq!(files[0]["file"], "tests/data/authoring/clean/rule.rego");
    // `warn_untested` (line 17) is never reached by a test; `warn` (12-13) is.
    let uncovered: Vec<u64> = files[0]["uncovered_lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    assert!(uncovered.contains(&17), "{doc:#}");
    assert!(
        !uncovered.contains(&12) && !uncovered.contains(&13),
        "{doc:#}"
    );
    let pct = doc["coverage"]["percent"].as_f64().unwrap_or(100.0);
    assert!(pct < 100.0 && pct > 0.0, "{doc:#}");

    let human = run(["test", CLEAN, "--coverage"], None);
    human.assert_code(0);
    assert!(
        human
            .stdout
            .lines()
            .any(|l| l.contains("clean/rule.rego") && l.contains("not covered: 17")),
        "{human}"
    );
    assert!(human.stdout.contains("total"), "{human}");
}

#[test]
fn coverage_below_the_threshold_exits_1() {
    let out = run(["test", CLEAN, "--threshold", "99"], None);
    out.assert_code(1);
    assert!(out.stderr.contains("below the threshold"), "{out}");
    run(["test", CLEAN, "--threshold", "50"], None).assert_code(0);
    run(["test", CLEAN, "--threshold", "150"], None).assert_code(2);
}

#[test]
fn test_results_as_junit() {
    let out = run(
        ["test", "tests/data/policy-test/basic", "-o", "junit"],
        None,
    );
    out.assert_code(1);
    assert!(out.stdout.starts_with("<?xml"), "{out}");
    assert!(
        out.stdout.contains("tests=\"2\"") && out.stdout.contains("failures=\"1\""),
        "{out}"
    );
    assert!(
        out.stdout.contains("name=\"test_denies_empty_spec\""),
        "{out}"
    );
}

#[test]
fn severity_threshold_decides_which_findings_fail_the_run() {
    let policy = "tests/data/authoring/severity";
    let low = "tests/data/authoring/inputs/low-only.yaml";
    let both = "tests/data/authoring/inputs/both.yaml";
    run(["check", "-p", policy, low], None).assert_code(1);
    let out = run(
        ["check", "-p", policy, "--severity-threshold", "high", low],
        None,
    );
    out.assert_code(0);
    // Still reported.
    assert!(out.stdout.contains("AUTH-SEV-LOW"), "{out}");
    run(
        ["check", "-p", policy, "--severity-threshold", "high", both],
        None,
    )
    .assert_code(1);
    run(
        ["check", "-p", policy, "--severity-threshold", "low", low],
        None,
    )
    .assert_code(1);
    run(
        [
            "check",
            "-p",
            policy,
            "--severity-threshold",
            "critical",
            both,
        ],
        None,
    )
    .assert_code(0);
    run(
        ["check", "-p", policy, "--severity-threshold", "urgent", low],
        None,
    )
    .assert_code(2);
}
