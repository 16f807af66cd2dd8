//! The CI formats of `policy check` (`-o sarif`, `junit`, `github`, next to
//! `json`), several outputs in one run, and the files generated from the CLI
//! definition (completions, man page, `docs/cli.md`).
//!
//! Every format is snapshotted on the same small fixture set in
//! `tests/data/outputs/` (its own policies, so that changes to the built-in
//! library do not move these snapshots). Every SARIF log this module produces
//! is validated against the official SARIF 2.1.0 schema
//! (`tests/data/sarif-schema-2.1.0.json`, JSON Schema draft 4).

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{policy, run, Run, ROOT};

const POLICIES: &str = "tests/data/outputs/policies";
const INPUTS: &str = "tests/data/outputs/inputs";
const APP: &str = "tests/data/outputs/inputs/app.yaml";
const POD: &str = "tests/data/outputs/inputs/pod.yaml";

/// `policy check -p POLICIES ARGS...`.
fn check(args: &[&str]) -> Run {
    let mut all = vec!["check", "--color", "never", "-p", POLICIES];
    all.extend_from_slice(args);
    run(&all, None)
}

/// What the schema finds wrong with a SARIF log (empty when it is valid).
fn sarif_problems(log: &Value) -> Vec<String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let path = Path::new(ROOT).join("tests/data/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(path).expect("the SARIF schema is readable");
        let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
        jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
    });
    validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Parses and validates a SARIF log.
#[track_caller]
fn valid_sarif(text: &str) -> Value {
    let log: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    let problems = sarif_problems(&log);
    assert!(
        problems.is_empty(),
        "the SARIF log does not match the 2.1.0 schema:\n  {}\n{log:#}",
        problems.join("\n  ")
    );
    log
}

/// `check ARGS -o sarif`, validated.
fn sarif(args: &[&str]) -> (Run, Value) {
    let mut all = args.to_vec();
    all.extend(["-o", "sarif"]);
    let out = check(&all);
    let log = valid_sarif(&out.stdout);
    (out, log)
}

/// Replaces the tool version, so that a release does not change the snapshot.
fn without_version(mut log: Value) -> Value {
    let driver = &mut log["runs"][0]["tool"]["driver"];
    for key in ["version", "semanticVersion", "fullName"] {
        if driver.get(key).is_some() {
            driver[key] = "[version]".into();
        }
    }
    log
}

/// Parses JUnit XML the way a CI system would, failing the test if it cannot.
#[track_caller]
fn parse_junit(xml: &str) -> quick_junit::Report {
    quick_junit::Report::deserialize_from_str(xml)
        .unwrap_or_else(|e| panic!("not JUnit XML ({e}):\n{xml}"))
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---- snapshots: one fixture set, every format -------------------------------

#[test]
fn sarif_snapshot() {
    let (out, log) = sarif(&[INPUTS]);
    out.assert_code(2);
    insta::assert_json_snapshot!("sarif", without_version(log));
}

#[test]
fn junit_snapshot() {
    let out = check(&[INPUTS, "-o", "junit"]);
    out.assert_code(2);
    parse_junit(&out.stdout);
    insta::assert_snapshot!("junit", &out.stdout);
}

#[test]
fn github_snapshot() {
    let out = check(&[INPUTS, "-o", "github"]);
    out.assert_code(2);
    insta::assert_snapshot!("github", &out.stdout);
}

#[test]
fn json_snapshot() {
    let out = check(&[INPUTS, "-o", "json"]);
    out.assert_code(2);
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
    crate::support::assert_valid_report(&report);
    insta::assert_json_snapshot!("json", report);
}

#[test]
fn snapshots_hold_no_absolute_path() {
    for format in ["sarif", "junit", "github", "json"] {
        let out = check(&[INPUTS, "-o", format]);
        assert!(
            !out.stdout.contains(ROOT),
            "-o {format} shows the absolute crate path\n{out}"
        );
    }
}

// ---- SARIF ---------------------------------------------------------------------

#[test]
fn sarif_describes_each_rule_once_with_help_level_and_security_severity() {
    let (_, log) = sarif(&[INPUTS]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["OUT-001", "OUT-002"], "{log:#}");
    let privileged = &rules[0];
    assert_eq!(privileged["name"], "PrivilegedContainers");
    assert_eq!(
        privileged["shortDescription"]["text"],
        "Privileged containers"
    );
    assert_eq!(
        privileged["fullDescription"]["text"],
        "A privileged container has every capability of the host."
    );
    assert!(privileged["help"]["text"]
        .as_str()
        .is_some_and(|h| h.contains("Set securityContext.privileged to false.")));
    assert_eq!(privileged["defaultConfiguration"]["level"], "error");
    assert_eq!(privileged["properties"]["security-severity"], "8.0");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[1]["properties"]["security-severity"], "3.0");
}

#[test]
fn sarif_results_point_at_the_region_with_a_relative_path() {
    let (_, log) = sarif(&[APP]);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let privileged = results
        .iter()
        .find(|r| r["ruleId"] == "OUT-001")
        .unwrap_or_else(|| panic!("{log:#}"));
    assert_eq!(privileged["level"], "error");
    let physical = &privileged["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], APP);
    assert_eq!(
        physical["region"],
        serde_json::json!({"startLine": 16, "startColumn": 13, "endLine": 16, "endColumn": 29})
    );
    assert_eq!(privileged["ruleIndex"], 0);
}

#[test]
fn sarif_errors_and_notices_are_tool_notifications() {
    let (_, log) = sarif(&[INPUTS]);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let summary: Vec<(&str, &str)> = notes
        .iter()
        .filter_map(|n| Some((n["level"].as_str()?, n["descriptor"]["id"].as_str()?)))
        .collect();
    assert_eq!(
        summary,
        [("error", "yaml-parse-error"), ("warning", "duplicate-key")],
        "{log:#}"
    );
    let (_, clean) = sarif(&[POD]);
    assert_eq!(
        clean["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

fn fingerprints(log: &Value) -> Vec<(String, String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_owned(),
                r["partialFingerprints"]["railyard/v1"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_moving_code_and_differ_between_findings() {
    // The same file before and after lines are inserted above the offending
    // ones: same alerts (fingerprints), new lines.
    let dir = temp_dir();
    let original = read(&Path::new(ROOT).join(APP));
    let policies = Path::new(ROOT).join(POLICIES);
    let run_in = |text: &str| {
        std::fs::write(dir.path().join("app.yaml"), text).expect("write input");
        let out = policy()
            .current_dir(dir.path())
            .arg("check")
            .arg("-p")
            .arg(&policies)
            .args(["app.yaml", "-o", "sarif"])
            .output()
            .expect("policy runs");
        valid_sarif(&String::from_utf8_lossy(&out.stdout))
    };
    let before = fingerprints(&run_in(&original));
    let after = fingerprints(&run_in(&format!("# a comment\n# and another\n{original}")));
    assert_eq!(before.len(), 2, "{before:?}");
    for ((rule_b, print_b, line_b), (rule_a, print_a, line_a)) in before.iter().zip(&after) {
        assert_eq!(rule_b, rule_a);
        assert_eq!(
            print_b, print_a,
            "{rule_b}: the fingerprint moved with the code"
        );
        assert_eq!(line_b + 2, *line_a, "{rule_b}: the region did not move");
    }
    assert_ne!(before[0].1, before[1].1, "two findings share a fingerprint");
}

#[test]
fn every_sarif_log_is_valid_even_from_stdin_or_an_empty_run() {
    let (out, _) = sarif(&["tests/data/inputs/bad/empty.yaml"]);
    out.assert_code(0);
    let mut cmd = policy();
    let stdin = read(&Path::new(ROOT).join(APP));
    let out = cmd
        .args(["check", "-p", POLICIES, "-", "-o", "sarif"])
        .write_stdin(stdin)
        .output()
        .expect("policy runs");
    let log = valid_sarif(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Cstdin%3E"
    );
    let (out, _) = sarif(&["tests/data/outputs/no-such-file.yaml"]);
    out.assert_code(2);
}

#[test]
fn the_sarif_schema_rejects_what_sarif_does_not_allow() {
    // The schema is only a test if it can fail.
    let (_, good) = sarif(&[INPUTS]);
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 4] = [
        ("no version", |l| {
            l.as_object_mut().expect("object").remove("version");
        }),
        ("line 0", |l| {
            l["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
                0.into()
        }),
        ("an unknown level", |l| {
            l["runs"][0]["results"][0]["level"] = "fatal".into()
        }),
        ("a result without message", |l| {
            l["runs"][0]["results"][0]
                .as_object_mut()
                .expect("object")
                .remove("message");
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(
            !sarif_problems(&bad).is_empty(),
            "the schema accepted a log with {what}"
        );
    }
}

#[test]
fn a_terraform_plan_finding_is_shown_in_its_tf_source_with_the_plan_related() {
    let plan = "tests/data/outputs/terraform/plan/plan.json";
    let policies = "tests/data/outputs/terraform/policy";
    let out = run(["check", "-p", policies, plan, "-o", "sarif"], None);
    out.assert_code(1);
    let log = valid_sarif(&out.stdout);
    let result = &log["runs"][0]["results"][0];
    let place = |l: &Value| {
        (
            l["physicalLocation"]["artifactLocation"]["uri"].clone(),
            l["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    assert_eq!(
        place(&result["locations"][0]),
        ("tests/data/outputs/terraform/plan/main.tf".into(), 3.into()),
        "{log:#}"
    );
    assert_eq!(
        place(&result["relatedLocations"][0]),
        (plan.into(), 11.into()),
        "{log:#}"
    );
    let out = run(["check", "-p", policies, plan, "-o", "github"], None);
    assert!(
        out.stdout
            .starts_with("::error file=tests/data/outputs/terraform/plan/main.tf,line=3,"),
        "{out}"
    );
}

// ---- JUnit ---------------------------------------------------------------------

#[test]
fn junit_reports_evaluation_errors_and_skips_what_was_not_evaluated() {
    let out = run(
        [
            "check",
            "-p",
            "tests/data/policies/eval-error",
            "tests/data/inputs/eval-error/divide.yaml",
            "-o",
            "junit",
        ],
        None,
    );
    out.assert_code(2);
    let report = parse_junit(&out.stdout);
    assert_eq!(
        (report.tests, report.errors, report.skipped, report.failures),
        (2, 1, 1, 0),
        "{}",
        out.stdout
    );
}

fn case<'r>(report: &'r quick_junit::Report, name: &str) -> &'r quick_junit::TestCase {
    report
        .test_suites
        .iter()
        .flat_map(|s| &s.test_cases)
        .find(|c| c.name.as_str() == name)
        .unwrap_or_else(|| panic!("no test case {name:?}"))
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_document_and_applicable_rule() {
    let out = check(&[INPUTS, "-o", "junit"]);
    let report = parse_junit(&out.stdout);
    let suites: Vec<(&str, usize)> = report
        .test_suites
        .iter()
        .map(|s| (s.name.as_str(), s.test_cases.len()))
        .collect();
    // app.yaml: the Deployment gets both rules, the Service only OUT-002
    // (OUT-001 targets Pods and Deployments); settings.json is no Kubernetes
    // object, so only the untargeted OUT-002 applies.
    assert_eq!(
        suites,
        [
            ("tests/data/outputs/inputs/app.yaml", 3),
            ("tests/data/outputs/inputs/broken.yaml", 1),
            ("tests/data/outputs/inputs/pod.yaml", 2),
            ("tests/data/outputs/inputs/settings.json", 1),
        ],
        "{}",
        out.stdout
    );
    assert_eq!((report.tests, report.failures, report.errors), (7, 1, 1));
    let failed = case(&report, "OUT-001: Deployment prod/web (document 1)");
    match &failed.status {
        quick_junit::TestCaseStatus::NonSuccess {
            message,
            description,
            ..
        } => {
            assert!(message
                .as_ref()
                .is_some_and(|m| m.as_str().contains("is privileged")));
            assert!(description
                .as_ref()
                .is_some_and(|d| d.as_str().contains("app.yaml:16:13")));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    let passed = case(&report, "OUT-002: Service prod/web (document 2)");
    assert!(matches!(
        passed.status,
        quick_junit::TestCaseStatus::Success { .. }
    ));
}

#[test]
fn junit_warnings_fail_their_case_only_with_fail_on_warning() {
    let name = "OUT-002: Deployment prod/web (document 1)";
    let out = check(&[APP, "-o", "junit"]);
    out.assert_code(1);
    let report = parse_junit(&out.stdout);
    let warned = case(&report, name);
    assert!(
        matches!(warned.status, quick_junit::TestCaseStatus::Success { .. }),
        "{}",
        out.stdout
    );
    assert!(warned.system_out.as_ref().is_some_and(|o| o
        .as_str()
        .contains("label app.kubernetes.io/name is missing")));

    let out = check(&[APP, "-o", "junit", "--fail-on", "warning"]);
    out.assert_code(1);
    let report = parse_junit(&out.stdout);
    assert!(
        matches!(
            &case(&report, name).status,
            quick_junit::TestCaseStatus::NonSuccess { ty: Some(ty), .. } if ty.as_str() == "warning"
        ),
        "{}",
        out.stdout
    );
}

// ---- GitHub --------------------------------------------------------------------

#[test]
fn github_annotations_escape_messages_and_carry_the_region() {
    let out = check(&[APP, "-o", "github"]);
    out.assert_code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[1],
        "::error file=tests/data/outputs/inputs/app.yaml,line=16,col=13,endLine=16,endColumn=29,\
         title=OUT-001::container \"app\" is privileged: 100%25 of the host, no isolation\
         %0ARemediation: Set securityContext.privileged to false.",
        "{out}"
    );
    assert!(lines[0].starts_with("::warning file="), "{out}");
    // A multi-line message stays on one line.
    assert_eq!(lines.len(), 3, "{out}");
}

// ---- progress bar --------------------------------------------------------------

/// Runs `policy check` on a pseudo-terminal (util-linux `script`), on inputs
/// that take over a second, and returns everything the terminal showed; `None`
/// where `script` is missing.
fn on_a_terminal(extra_env: &[(&str, &str)], flags: &[&str]) -> Option<String> {
    let dir = temp_dir();
    let typescript = dir.path().join("typescript");
    let bin = assert_cmd::cargo::cargo_bin("policy");
    let mut command = format!(
        "{} check --jobs 1 --timeout 1 -p tests/data/policies/loop tests/data/inputs/loop -o json={}",
        bin.display(),
        dir.path().join("report.json").display()
    );
    for flag in flags {
        command.push(' ');
        command.push_str(flag);
    }
    let mut script = std::process::Command::new("script");
    script
        .current_dir(ROOT)
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .args(["-q", "-f", "-c", &command])
        .arg(&typescript)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for (key, value) in extra_env {
        script.env(key, value);
    }
    script.status().ok()?;
    Some(String::from_utf8_lossy(&std::fs::read(&typescript).ok()?).into_owned())
}

#[test]
fn the_progress_bar_shows_on_a_slow_terminal_run_only() {
    let Some(shown) = on_a_terminal(&[], &[]) else {
        eprintln!("skipped: no `script` command to run on a pseudo-terminal");
        return;
    };
    assert!(shown.contains("checking ["), "no progress bar:\n{shown}");
    assert!(shown.contains("/2 files"), "{shown}");
    let quiet = on_a_terminal(&[], &["-q"]).unwrap_or_default();
    assert!(!quiet.contains("checking ["), "-q:\n{quiet}");
    let ci = on_a_terminal(&[("CI", "true")], &[]).unwrap_or_default();
    assert!(!ci.contains("checking ["), "CI=true:\n{ci}");
}

// ---- several outputs -----------------------------------------------------------

#[test]
fn each_output_gets_exactly_what_it_would_get_alone() {
    let dir = temp_dir();
    let file = |name: &str| dir.path().join(name).display().to_string();
    let (sarif_path, junit_path, json_path, github_path) = (
        file("results.sarif"),
        file("report.xml"),
        file("report.json"),
        file("annotations.txt"),
    );
    let combined = check(&[
        INPUTS,
        "-o",
        "human",
        "-o",
        &format!("sarif={sarif_path}"),
        "-o",
        &format!("junit={junit_path}"),
        "-o",
        &format!("json={json_path}"),
        "-o",
        &format!("github={github_path}"),
    ]);
    combined.assert_code(2);
    // Stdout is the human report alone, as if no file output were asked for.
    let human = check(&[INPUTS]);
    assert_eq!(combined.stdout, human.stdout, "{combined}");
    assert!(
        combined.stderr.is_empty(),
        "nothing (no progress bar) on stderr off a terminal\n{combined}"
    );
    // Each file holds its format, byte for byte what stdout would have held.
    for (format, path) in [
        ("sarif", &sarif_path),
        ("junit", &junit_path),
        ("json", &json_path),
        ("github", &github_path),
    ] {
        let alone = check(&[INPUTS, "-o", format]);
        assert_eq!(
            read(Path::new(path)),
            alone.stdout,
            "-o {format}=PATH differs from -o {format}"
        );
    }
    valid_sarif(&read(Path::new(&sarif_path)));
}

#[test]
fn a_machine_format_can_take_stdout_while_human_goes_to_a_file() {
    let dir = temp_dir();
    let human_path = dir.path().join("report.txt");
    let out = check(&[
        APP,
        "-o",
        &format!("human={}", human_path.display()),
        "-o",
        "sarif",
        "-q",
    ]);
    out.assert_code(1);
    valid_sarif(&out.stdout);
    let human = read(&human_path);
    assert!(human.contains("OUT-001"), "{human}");
    assert!(!human.contains('\u{1b}'), "no colour in a file:\n{human}");
    assert!(!out.stdout.contains("1 file, 2 documents"), "{out}");
}

#[test]
fn a_report_written_inside_the_checked_directory_is_not_checked_itself() {
    let dir = temp_dir();
    std::fs::copy(Path::new(ROOT).join(APP), dir.path().join("app.yaml")).expect("copy");
    let report_path = dir.path().join("report.json");
    let out = check(&[
        &dir.path().display().to_string(),
        "-o",
        &format!("json={}", report_path.display()),
    ]);
    out.assert_code(1);
    let report: Value = serde_json::from_str(&read(&report_path)).expect("JSON report");
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
}

#[test]
fn at_most_one_output_may_use_stdout() {
    let out = check(&[APP, "-o", "human", "-o", "json"]);
    out.assert_code(2);
    assert!(out.stderr.contains("at most one"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    let out = check(&[APP, "-o", "json", "-o", "sarif=-"]);
    out.assert_code(2);
}

#[test]
fn an_unwritable_output_stops_the_run_before_anything_is_evaluated() {
    let dir = temp_dir();
    let missing_dir = dir.path().join("no/such/dir/results.sarif");
    let a_directory = dir.path().display().to_string();
    let written = dir.path().join("report.xml");
    for bad in [missing_dir.display().to_string(), a_directory] {
        // A broken policy and a looping one: had either been compiled or
        // evaluated, the run would report it (or take the whole timeout).
        for policies in [
            "tests/data/policies/broken/syntax",
            "tests/data/policies/loop",
        ] {
            let out = run(
                [
                    "check",
                    "--color",
                    "never",
                    "--timeout",
                    "30",
                    "-p",
                    policies,
                    "tests/data/inputs/loop",
                    "-o",
                    &format!("junit={}", written.display()),
                    "-o",
                    &format!("sarif={bad}"),
                ],
                None,
            );
            out.assert_code(2);
            assert!(out.stderr.contains("output-unwritable"), "{out}");
            assert!(
                !out.stderr.contains("rego-") && !out.stderr.contains("evaluation-"),
                "policies were compiled or evaluated before the output was checked\n{out}"
            );
            assert!(out.stdout.is_empty(), "{out}");
        }
    }
}

#[test]
fn with_broken_policies_files_still_get_a_report_of_the_errors() {
    let dir = temp_dir();
    let path = dir.path().join("results.sarif");
    let junit_path = dir.path().join("report.xml");
    let out = run(
        [
            "check",
            "--color",
            "never",
            "-p",
            "tests/data/policies/broken/syntax",
            APP,
            "-o",
            &format!("sarif={}", path.display()),
            "-o",
            &format!("junit={}", junit_path.display()),
        ],
        None,
    );
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.contains("rego-parse-error"), "{out}");
    let log = valid_sarif(&read(&path));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["descriptor"]["id"],
        "rego-parse-error"
    );
    assert_eq!(parse_junit(&read(&junit_path)).errors, 1);
}

// ---- generated from the CLI definition -----------------------------------------

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(["completions", shell], None);
        out.assert_code(0);
        assert!(
            out.stdout.contains("check") && out.stdout.contains("output"),
            "{shell}\n{out}"
        );
    }
    run(["completions", "tcsh"], None).assert_code(2);
}

#[test]
fn man_pages() {
    let out = run(["man"], None);
    out.assert_code(0);
    assert!(out.stdout.contains(".TH policy"), "{out}");
    let dir = temp_dir();
    let out = run(["man", "--dir", &dir.path().display().to_string()], None);
    out.assert_code(0);
    let page = read(&dir.path().join("policy-check.1"));
    assert!(page.contains("\\-\\-output"), "{page}");
}

#[test]
fn docs_cli_md_is_up_to_date() {
    let out = run(["docs-cli"], None);
    out.assert_code(0);
    let path = Path::new(ROOT).join("docs/cli.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == out.stdout,
        "docs/cli.md is out of date with the command-line definition; regenerate it with\n\n    \
         {}\n\nand commit the result.",
        "cargo run --quiet -- docs-cli > docs/cli.md"
    );
}

#[test]
fn the_ci_examples_are_valid_yaml_with_the_documented_reports() {
    let read_yaml = |path: &str| {
        let text = read(&Path::new(ROOT).join(path));
        let value = railyard::input::parse_yaml_value(&text)
            .unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"));
        (text, value)
    };
    let (text, workflow) = read_yaml("docs/ci/github-actions.yml");
    assert!(text.contains("github/codeql-action/upload-sarif"), "{text}");
    assert!(text.contains("-o sarif=railyard.sarif"), "{text}");
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let (_, gitlab) = read_yaml("docs/ci/gitlab-ci.yml");
    assert_eq!(
        gitlab["railyard"]["artifacts"]["reports"]["junit"],
        "railyard.xml"
    );
    let (_, hooks) = read_yaml(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(
        (&hook["id"], &hook["language"], &hook["entry"]),
        (&"railyard".into(), &"rust".into(), &"policy check".into())
    );
    let files = regex::Regex::new(hook["files"].as_str().unwrap_or_default())
        .expect("the files pattern is a regular expression");
    for (name, matches) in [
        ("deploy/app.yaml", true),
        ("a.yml", true),
        ("plan.json", true),
        ("main.tf", true),
        ("README.md", false),
    ] {
        assert_eq!(files.is_match(name), matches, "{name}");
    }
}
