//! `policy check` as a user drives it: files, directories and stdin in one
//! run, the built-in library by default, and one bad input never stopping the
//! others.

use crate::support::{check_json, errors, errors_with_code, findings};

const LEVELS: &str = "tests/data/policies/levels";
const DENY: &str = "tests/data/inputs/levels/deny.yaml";
const BROKEN: &str = "tests/data/inputs/mixed/broken.yaml";
const MIXED_DIR: &str = "tests/data/inputs/mixed";

#[test]
fn one_broken_file_does_not_stop_the_failing_one_in_the_same_directory() {
    let (out, report) = check_json(["-p", LEVELS, MIXED_DIR]);
    out.assert_code(2);
    assert_eq!(report["summary"]["files"], 2, "{report:#}");
    let found: Vec<_> = findings(&report)
        .iter()
        .map(|f| (f["file"].as_str(), f["rule"].as_str(), f["line"].as_u64()))
        .collect();
    assert_eq!(
        found,
        [(
            Some("tests/data/inputs/mixed/failing.yaml"),
            Some("TEST-LEVELS"),
            Some(5)
        )],
        "{report:#}"
    );
    let parse_errors = errors_with_code(&report, "yaml-parse-error");
    assert_eq!(parse_errors.len(), 1, "{report:#}");
    assert_eq!(parse_errors[0]["file"], BROKEN);
    assert_eq!(parse_errors[0]["line"], 5);
}

#[test]
fn a_missing_path_is_an_error_and_the_other_paths_are_still_checked() {
    let missing = "tests/data/inputs/no-such-file.yaml";
    let (out, report) = check_json(["-p", LEVELS, missing, DENY]);
    out.assert_code(2);
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{report:#}");
    assert_eq!(errs[0]["file"], missing);
    assert_eq!(errs[0]["code"], "input-not-found");
    assert_eq!(findings(&report).len(), 1, "{report:#}");
    assert_eq!(findings(&report)[0]["file"], DENY);
}

#[test]
fn built_in_library_runs_without_policy_flag() {
    // README: with no -p the embedded library runs; K8S-POD-001 is its privileged-container rule.
    let (out, report) = check_json(["tests/data/inputs/locations/pod.yaml"]);
    out.assert_code(1);
    let privileged: Vec<_> = findings(&report)
        .iter()
        .filter(|f| f["rule"] == "K8S-POD-001")
        .collect();
    assert_eq!(privileged.len(), 1, "{report:#}");
    assert_eq!(privileged[0]["line"], 14);
    assert_eq!(privileged[0]["level"], "failure");
    assert!(errors(&report).is_empty(), "{report:#}");
}

mod stdin {
    use crate::support::{check_json_stdin, findings, run};

    const POD_YAML: &str = "tests/data/inputs/locations/pod.yaml";
    const POD_JSON: &str = "tests/data/inputs/locations/pod.json";
    const NESTED: &str = "tests/data/policies/locations/nested.rego";

    fn read(path: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(crate::support::ROOT).join(path)).expect("test input")
    }

    #[test]
    fn yaml_on_stdin_is_checked_as_stdin() {
        let (out, report) = check_json_stdin(["-p", NESTED, "-"], Some(&read(POD_YAML)));
        out.assert_code(1);
        let f = &findings(&report);
        assert_eq!(f.len(), 1, "{report:#}");
        assert_eq!(f[0]["file"], "<stdin>");
        assert_eq!(f[0]["rule"], "LOC-NESTED");
        assert_eq!(
            (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
            (Some(14), Some(9))
        );
    }

    #[test]
    fn json_on_stdin_is_read_as_json() {
        let (out, report) = check_json_stdin(["-p", NESTED, "-"], Some(&read(POD_JSON)));
        out.assert_code(1);
        let f = &findings(&report);
        assert_eq!(f.len(), 1, "{report:#}");
        assert_eq!(f[0]["file"], "<stdin>");
        assert_eq!(
            (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
            (Some(13), Some(29))
        );
    }

    #[test]
    fn stdin_and_files_in_one_run() {
        let (out, report) = check_json_stdin(["-p", NESTED, POD_JSON, "-"], Some(&read(POD_YAML)));
        out.assert_code(1);
        let files: Vec<_> = findings(&report)
            .iter()
            .map(|f| f["file"].as_str())
            .collect();
        assert_eq!(files, [Some("<stdin>"), Some(POD_JSON)], "{report:#}");
        assert_eq!(report["summary"]["files"], 2);
    }

    #[test]
    fn empty_stdin_is_zero_documents() {
        let (out, report) = check_json_stdin(["-p", NESTED, "-"], Some(b""));
        out.assert_code(0);
        assert_eq!(report["summary"]["documents"], 0, "{report:#}");
    }

    #[test]
    fn unparsable_stdin_exits_2_naming_stdin() {
        let out = run(
            ["check", "-p", NESTED, "-", "--color", "never"],
            Some(b"a: [1, 2\nb: }\n"),
        );
        out.assert_code(2);
        assert!(out.stdout.contains("<stdin>:"), "{out}");
        assert!(out.stdout.contains("yaml-parse-error"), "{out}");
    }
}

#[test]
fn directories_are_walked_for_yaml_and_json_files_skipping_hidden_directories() {
    let dir = tempfile::tempdir().expect("temp dir");
    let object =
        |name: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("app/a.yaml", &object("deny-yaml"));
    write("app/nested/b.yml", &object("deny-yml"));
    write(
        "app/c.JSON",
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deny-json"}}"#,
    );
    // Not inputs: other extensions, and anything under a hidden directory.
    write("app/README.md", "not: [yaml");
    write("app/values.yaml.bak", &object("deny-backup"));
    write(".git/config.yaml", &object("deny-hidden"));
    write("app/.cache/d.yaml", &object("deny-hidden-too"));
    let (out, report) = check_json(["-p", LEVELS, dir.path().to_str().expect("utf-8 temp path")]);
    out.assert_code(1);
    assert!(errors(&report).is_empty(), "{report:#}");
    let mut names: Vec<_> = findings(&report)
        .iter()
        .map(|f| f["resource"]["name"].as_str().expect("named"))
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["deny-json", "deny-yaml", "deny-yml"], "{report:#}");
    assert_eq!(report["summary"]["files"], 3, "{report:#}");
}

#[test]
fn the_report_does_not_depend_on_the_order_of_the_paths() {
    // Findings and errors are sorted before reporting (DESIGN section 1), so the
    // same inputs in another order give the same report, missing paths included.
    let paths = [
        DENY,
        BROKEN,
        "tests/data/inputs/a-missing.yaml",
        "tests/data/inputs/z-missing.yaml",
    ];
    let mut forward = vec!["-p", LEVELS];
    forward.extend(paths);
    let mut backward = vec!["-p", LEVELS];
    backward.extend(paths.iter().rev());
    let (_, forward) = check_json(&forward);
    let (_, backward) = check_json(&backward);
    assert_eq!(
        forward, backward,
        "the report must not depend on argument order"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `policy check ... | head`: a closed pipe ends the run quietly with 0, as in
    // ripgrep, instead of a panic about failing to write to stdout.
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("many.yaml");
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deny-{i}\n"
        ));
    }
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .expect("write input");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("policy"))
        .current_dir(crate::support::ROOT)
        .args(["check", "--color", "never", "-p", LEVELS])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("policy starts");
    // Close the read end at once: the report (hundreds of KB, more than a pipe
    // buffer) cannot be written in full whatever the timing.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("policy ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn custom_policies_can_use_the_helper_library() {
    // README: with -p, your Rego runs instead of the built-in library, and the
    // helper library (data.railyard.kubernetes) is always available.
    let (out, report) = check_json([
        "-p",
        "tests/data/policies/helpers",
        "tests/data/inputs/locations/pod.yaml",
    ]);
    out.assert_code(1);
    assert!(errors(&report).is_empty(), "{report:#}");
    let found: Vec<_> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str(),
                f["line"].as_u64(),
                f["message"].as_str(),
            )
        })
        .collect();
    // Only the custom rule: no built-in rule (K8S-...) runs alongside it.
    assert_eq!(
        found,
        [(
            Some("TEST-HELPERS"),
            Some(14),
            Some("container \"app\" is privileged")
        )],
        "{report:#}"
    );
}
