//! The human format (`-o human`, the default): one code frame per finding and
//! error (file and line:col, the offending line underlined, rule id, message,
//! remediation as `help:`), notices, then the summary line. Snapshots of small
//! fixtures in `tests/data/human/` pin the whole layout; the assertions below
//! them say what matters in it, so that a layout change is reviewed knowingly.

use crate::support::{run, Run};

const POLICIES: [&str; 4] = [
    "-p",
    "tests/data/policies/locations/nested.rego",
    "-p",
    "tests/data/policies/locations/missing.rego",
];

fn human(inputs: &[&str]) -> Run {
    let mut args = vec!["check", "--color", "never"];
    args.extend(POLICIES);
    args.extend_from_slice(inputs);
    run(&args, None)
}

#[test]
fn a_failure_frame_has_location_underline_rule_and_help() {
    let out = human(&["tests/data/human/privileged.yaml"]);
    out.assert_code(1);
    let text = &out.stdout;
    assert!(text.contains("LOC-NESTED"), "{out}");
    assert!(text.contains("container \"app\" is privileged"), "{out}");
    assert!(
        text.contains("tests/data/human/privileged.yaml:10:9"),
        "{out}"
    );
    assert!(
        text.contains("help: Set securityContext.privileged to false."),
        "{out}"
    );
    // The source line is shown with its number, and the next line underlines
    // exactly `privileged: true` (16 characters from the same column).
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("10 │         privileged: true"))
        .unwrap_or_else(|| panic!("no source line 10 in the frame\n{out}"));
    let source = lines[at];
    let underline = lines[at + 1];
    let start = source.find("privileged").expect("source text");
    let under: String = underline
        .chars()
        .skip(source[..start].chars().count())
        .take(16)
        .collect();
    assert_eq!(
        under.chars().filter(|c| *c == '─' || *c == '┬').count(),
        16,
        "{out}"
    );
    assert!(text.contains("Privileged container (high)"), "{out}");
    assert_eq!(
        text.lines().last(),
        Some("1 file, 1 document: 1 failure, 0 warnings, 0 errors"),
        "{out}"
    );
    insta::assert_snapshot!("privileged", text);
}

#[test]
fn warnings_notices_and_errors_in_one_run() {
    let out = human(&["tests/data/human/mixed"]);
    out.assert_code(2);
    let text = &out.stdout;
    assert!(text.contains("LOC-MISSING"), "{out}");
    assert!(
        text.contains("tests/data/human/mixed/a-warning.yaml:11:7"),
        "{out}"
    );
    assert!(text.contains("help: Set resources.limits."), "{out}");
    assert!(text.contains("duplicate-key"), "{out}");
    assert!(
        text.contains("tests/data/human/mixed/a-warning.yaml:6:3"),
        "{out}"
    );
    assert!(text.contains("yaml-parse-error"), "{out}");
    assert!(
        text.contains("tests/data/human/mixed/b-broken.yaml:9:26"),
        "{out}"
    );
    assert!(text.contains("args: [--port, 8080}"), "{out}");
    assert_eq!(
        text.lines().last(),
        Some("2 files, 1 document: 0 failures, 1 warning, 1 error"),
        "{out}"
    );
    insta::assert_snapshot!("mixed", text);
}

#[test]
fn a_clean_run_prints_only_the_summary() {
    let out = human(&["tests/data/human/clean.yaml"]);
    out.assert_code(0);
    assert_eq!(
        out.stdout, "1 file, 1 document: 0 failures, 0 warnings, 0 errors\n",
        "{out}"
    );
    insta::assert_snapshot!("clean", &out.stdout);
}

#[test]
fn the_summary_counts_every_level() {
    let mut args = vec![
        "check",
        "--color",
        "never",
        "-p",
        "tests/data/policies/locations",
    ];
    args.extend([
        "tests/data/inputs/locations",
        "tests/data/inputs/bad/malformed.yaml",
    ]);
    let out = run(&args, None);
    out.assert_code(2);
    let (_, report) = crate::support::check_json(&args[1..]);
    let s = &report["summary"];
    let plural = |n: &serde_json::Value, word: &str| {
        let n = n.as_u64().expect("count");
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let expected = format!(
        "{}, {}: {}, {}, {}",
        plural(&s["files"], "file"),
        plural(&s["documents"], "document"),
        plural(&s["failures"], "failure"),
        plural(&s["warnings"], "warning"),
        plural(&s["errors"], "error"),
    );
    assert_eq!(out.stdout.lines().last(), Some(expected.as_str()), "{out}");
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    const ESC: char = '\u{1b}';
    let input = "tests/data/human/privileged.yaml";
    let policy = "tests/data/policies/locations/nested.rego";
    let with = |color: &str, no_color: bool| {
        let mut cmd = crate::support::policy();
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd
            .args(["check", "--color", color, "-p", policy, input])
            .output()
            .expect("policy runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Colour can be on: otherwise the checks below would prove nothing.
    assert!(with("always", false).contains(ESC));
    assert!(!with("never", false).contains(ESC));
    // `auto` (the default) writes no colour to a pipe, nor with NO_COLOR.
    assert!(!with("auto", false).contains(ESC));
    assert!(!with("auto", true).contains(ESC));
}

#[test]
fn frame_columns_count_characters_as_in_json() {
    // README: "columns count characters". On line 7 of bom.yaml, `example.com/owner`
    // follows "déjà-vu" and "ça" (three 2-byte characters): character column 34,
    // byte column 37. The frame header must agree with the JSON report.
    let input = "tests/data/inputs/locations/bom.yaml";
    let policy = "tests/data/policies/locations/pointer.rego";
    let (_, report) = crate::support::check_json(["-p", policy, input]);
    let owner = crate::support::findings(&report)
        .iter()
        .find(|f| f["rule"] == "LOC-POINTER")
        .cloned()
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(
        (owner["line"].as_u64(), owner["column"].as_u64()),
        (Some(7), Some(34))
    );
    let out = run(["check", "--color", "never", "-p", policy, input], None);
    assert!(
        out.stdout
            .contains("tests/data/inputs/locations/bom.yaml:7:34]"),
        "the frame header must say 7:34 like the JSON report\n{out}"
    );
}
