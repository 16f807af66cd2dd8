//! `policy test`: runs the `test_*` rules of the given policy directories,
//! prints PASS/FAIL (or ERROR) per test with the location and print() output of
//! failures, a `N passed, N failed` summary, and exits 1 when any test fails.

use serde_json::Value;

use crate::support::run;

const BASIC: &str = "tests/data/policy-test/basic";
const ERRORING: &str = "tests/data/policy-test/erroring";

/// The `PASS|FAIL|ERROR  package.rule` lines of human output.
fn result_lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let tag = words.next()?;
            ["PASS", "FAIL", "ERROR"]
                .contains(&tag)
                .then(|| (tag.to_owned(), words.next().unwrap_or_default().to_owned()))
        })
        .collect()
}

#[test]
fn one_passing_and_one_failing_test() {
    let out = run(["test", BASIC], None);
    out.assert_code(1);
    // Only the tests of the directory given: the dir holds exactly these two.
    assert_eq!(
        result_lines(&out.stdout),
        [
            (
                "PASS".to_owned(),
                "tests.sample_test.test_denies_privileged".to_owned()
            ),
            (
                "FAIL".to_owned(),
                "tests.sample_test.test_denies_empty_spec".to_owned()
            ),
        ],
        "{out}"
    );
    assert!(out.stdout.contains("1 passed, 1 failed"), "{out}");
    // A failure says where the test is and what it printed.
    assert!(
        out.stdout
            .contains("tests/data/policy-test/basic/sample_test.rego:11"),
        "{out}"
    );
    assert!(out.stdout.contains("deny on an empty spec:"), "{out}");
}

#[test]
fn run_filters_tests_by_regex() {
    let out = run(["test", BASIC, "--run", "denies_privileged$"], None);
    out.assert_code(0);
    assert_eq!(
        result_lines(&out.stdout),
        [(
            "PASS".to_owned(),
            "tests.sample_test.test_denies_privileged".to_owned()
        )],
        "{out}"
    );
    assert!(out.stdout.contains("1 passed, 0 failed"), "{out}");

    let out = run(["test", BASIC, "--run", "empty_spec"], None);
    out.assert_code(1);
    assert_eq!(result_lines(&out.stdout).len(), 1, "{out}");
}

#[test]
fn a_bad_run_regex_exits_2() {
    let out = run(["test", BASIC, "--run", "("], None);
    out.assert_code(2);
    assert!(out.stderr.contains("--run"), "{out}");
}

#[test]
fn json_output_parses_and_lists_each_test() {
    let out = run(["test", BASIC, "-o", "json"], None);
    out.assert_code(1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let tests = doc["tests"].as_array().expect("tests array");
    let mine: Vec<&Value> = tests
        .iter()
        .filter(|t| t["package"] == "tests.sample_test")
        .collect();
    assert_eq!(mine.len(), 2, "{doc:#}");
    let by_name = |name: &str| -> &Value {
        mine.iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {doc:#}"))
    };
    let pass = by_name("test_denies_privileged");
    assert_eq!(pass["outcome"], "pass");
    assert_eq!(
        pass["file"],
        "tests/data/policy-test/basic/sample_test.rego"
    );
    assert_eq!(pass["line"], 6);
    let fail = by_name("test_denies_empty_spec");
    assert_eq!(fail["outcome"], "fail");
    assert_eq!(fail["line"], 11);
    let prints = fail["prints"].as_array().expect("prints");
    assert!(
        prints.iter().any(|p| p
            .as_str()
            .is_some_and(|s| s.contains("deny on an empty spec:"))),
        "{doc:#}"
    );
    // The counts match the list, and the list is only the directory's tests.
    let passed = tests.iter().filter(|t| t["outcome"] == "pass").count();
    assert_eq!(doc["passed"], passed, "{doc:#}");
    assert_eq!(doc["failed"], tests.len() - passed, "{doc:#}");
    assert_eq!(
        tests.len(),
        2,
        "only the two tests of {BASIC} must run: {doc:#}"
    );
}

#[test]
fn a_test_that_errors_at_run_time_is_reported_as_such() {
    let out = run(["test", ERRORING], None);
    out.assert_code(1);
    let lines = result_lines(&out.stdout);
    assert!(
        lines.contains(&(
            "ERROR".to_owned(),
            "tests.erroring_test.test_divides_by_zero".to_owned()
        )),
        "{out}"
    );
    assert!(
        lines.contains(&(
            "PASS".to_owned(),
            "tests.erroring_test.test_passes".to_owned()
        )),
        "{out}"
    );
    assert!(out.stdout.contains("divide by zero"), "{out}");
    assert!(
        out.stdout.contains("erroring_test.rego:6"),
        "the error names its line\n{out}"
    );

    let out = run(["test", ERRORING, "-o", "json"], None);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let errored = doc["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .find(|t| t["name"] == "test_divides_by_zero")
        .cloned()
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(errored["outcome"], "error", "{doc:#}");
    assert!(
        errored["error"]
            .as_str()
            .is_some_and(|e| e.contains("divide by zero")),
        "{doc:#}"
    );
}

#[test]
fn a_policy_dir_that_does_not_compile_exits_2() {
    let out = run(["test", "tests/data/policies/broken/syntax"], None);
    out.assert_code(2);
    assert!(out.stderr.contains("syntax.rego:5:"), "{out}");
}

#[test]
fn the_built_in_library_tests_pass() {
    let out = run(["test", "policies/"], None);
    let failing: Vec<_> = result_lines(&out.stdout)
        .into_iter()
        .filter(|(tag, _)| tag != "PASS")
        .collect();
    assert!(
        failing.is_empty(),
        "built-in library tests not passing: {failing:?}\n{out}"
    );
    out.assert_code(0);
    let passed = result_lines(&out.stdout).len();
    assert!(passed > 0, "no tests found in policies/\n{out}");
    assert!(
        out.stdout.contains(&format!("{passed} passed, 0 failed")),
        "{out}"
    );
}
