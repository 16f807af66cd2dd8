//! The OPA built-ins Railyard adds as engine extensions, against what the real
//! OPA gives for the same calls: `tests/data/builtins/expected.json`, recorded
//! by `scripts/opa-builtins-expected.sh` (CI has no OPA; rerun the script after
//! changing the fixture). Values must be equal; errors must carry OPA's message.

use serde_json::Value;

use crate::support::{run, ROOT};

const POLICY: &str = "tests/data/builtins/policy";
const INPUT: &str = "tests/data/builtins/input.json";

/// Answers where Railyard is exact and OPA's heuristic (Go glob-intersection) is
/// not: "foo" and "a" match both patterns (see docs/builtins.md).
const DIFFERENT_VALUES: [(&str, &str, bool); 2] = [
    ("globs_match", "foo.* | foo", true),
    ("globs_match", "a | .b*", true),
];

/// Errors whose wording differs after the given text: the rest comes from Go's
/// JSON decoder, or Railyard names what its template subset lacks.
const DIFFERENT_ERRORS: [(&str, &str); 3] = [
    (
        "jwt_header_not_json",
        "io.jwt.decode: bad JWT header: invalid JSON:",
    ),
    ("jwt_payload_not_json", "io.jwt.decode: invalid JSON:"),
    (
        "template_bad_character",
        "strings.render_template: unsupported template action {{.a-b}}",
    ),
];

fn expected() -> Value {
    let path = format!("{ROOT}/tests/data/builtins/expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of a human error report, without its frame's gutter and line wrapping.
fn squash(text: &str) -> String {
    text.lines()
        .map(|line| line.trim_start_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn values_are_those_of_opa() {
    let out = run(["eval", "data.builtins", "-p", POLICY, "-i", INPUT], None);
    out.assert_code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let got = &doc["result"];
    let mut want = expected()["values"].clone();
    for (rule, key, value) in DIFFERENT_VALUES {
        assert_eq!(
            want[rule][key],
            Value::Bool(!value),
            "OPA no longer differs on {rule}[{key}]: drop the exception"
        );
        want[rule][key] = Value::Bool(value);
    }
    let rules = want.as_object().expect("values is an object");
    assert_eq!(
        got.as_object().map(|o| o.len()),
        Some(rules.len()),
        "{got:#}"
    );
    for (rule, value) in rules {
        match value.as_object() {
            Some(cases) => {
                for (case, value) in cases {
                    assert_eq!(&got[rule][case], value, "{rule}[{case}]");
                }
                assert_eq!(
                    got[rule].as_object().map(|o| o.len()),
                    Some(cases.len()),
                    "{rule}"
                );
            }
            None => assert_eq!(&got[rule], value, "{rule}"),
        }
    }
}

#[test]
fn errors_are_those_of_opa() {
    let expected = expected();
    let errors = expected["errors"].as_object().expect("errors is an object");
    assert!(errors.len() >= 30, "the fixture lost its error cases");
    for (rule, message) in errors {
        let message = DIFFERENT_ERRORS
            .iter()
            .find(|(r, _)| r == rule)
            .map_or_else(|| message.as_str().unwrap_or_default(), |(_, m)| m);
        let query = format!("data.builtins_errors.{rule}");
        let out = run(["eval", &query, "-p", POLICY, "-i", INPUT], None);
        out.assert_code(2);
        assert!(
            squash(&out.stderr).contains(&squash(message)),
            "{rule}: expected {message:?}\n{out}"
        );
    }
}

#[test]
fn policy_test_has_the_extensions() {
    let out = run(["test", POLICY], None);
    out.assert_code(0);
    assert!(
        out.stdout.contains("3 passed") || out.stdout.contains("PASS: 3"),
        "{out}"
    );
}
