//! Shared helpers: running `policy` from the crate root (so that file names in
//! its output are the stable relative paths `tests/data/...`), reading its JSON
//! output, and checking every JSON report against the version 1 schema.

use std::ffi::OsStr;
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The crate root: the working directory of every run.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The schema `policy check -o json` output must satisfy.
const SCHEMA_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/output-v1.schema.json"
);

/// A hang guard, far above what any run here needs: a run that takes this long is a bug.
const RUN_TIMEOUT: Duration = Duration::from_secs(300);

/// What a finished run gave back.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal, which is a crash).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// The exit code, failing the test with the run's output when it crashed.
    pub fn code(&self) -> i32 {
        self.code
            .unwrap_or_else(|| panic!("policy was killed by a signal (crash or timeout)\n{self}"))
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn assert_code(&self, expected: i32) -> &Self {
        assert_eq!(self.code(), expected, "unexpected exit code\n{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit code: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `policy` with the crate root as working directory and colour off.
pub fn policy() -> Command {
    let mut cmd = Command::cargo_bin("policy").expect("cargo builds the policy binary for tests");
    cmd.current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .timeout(RUN_TIMEOUT);
    cmd
}

/// Runs `policy` with these arguments (and `stdin`, if any).
pub fn run<I, S>(args: I, stdin: Option<&[u8]>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = policy();
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let output = cmd.output().expect("policy can be started");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked at"),
        "policy panicked\n{run}"
    );
    run
}

/// `policy check ARGS -o json`: the run and its parsed report, which has been
/// checked against the schema and whose summary has been checked against its arrays.
pub fn check_json<I, S>(args: I) -> (Run, Value)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    check_json_stdin(args, None)
}

/// [`check_json`] with bytes on stdin.
pub fn check_json_stdin<I, S>(args: I, stdin: Option<&[u8]>) -> (Run, Value)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut all: Vec<std::ffi::OsString> = vec!["check".into()];
    all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
    all.extend(["-o".into(), "json".into()]);
    let run = run(&all, stdin);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{run}"));
    assert_valid_report(&report);
    (run, report)
}

/// Validates a report against `tests/data/output-v1.schema.json` and checks that
/// the summary counts what the arrays hold.
#[track_caller]
pub fn assert_valid_report(report: &Value) {
    let problems = schema_problems(report);
    assert!(
        problems.is_empty(),
        "report does not match the version 1 schema:\n  {}\n{report:#}",
        problems.join("\n  ")
    );
    let summary = &report["summary"];
    let findings = report["findings"].as_array().expect("findings is an array");
    // Waived findings count apart from failures and warnings.
    let level_count = |level: &str| {
        findings
            .iter()
            .filter(|f| f["level"] == level && f.get("waiver").is_none())
            .count()
    };
    assert_eq!(
        summary["waived"],
        findings
            .iter()
            .filter(|f| f.get("waiver").is_some())
            .count(),
        "summary.waived\n{report:#}"
    );
    assert_eq!(
        summary["failures"],
        level_count("failure"),
        "summary.failures\n{report:#}"
    );
    assert_eq!(
        summary["warnings"],
        level_count("warning"),
        "summary.warnings\n{report:#}"
    );
    assert_eq!(
        summary["errors"],
        report["errors"]
            .as_array()
            .expect("errors is an array")
            .len(),
        "summary.errors\n{report:#}"
    );
}

/// What the version 1 schema finds wrong with a report (empty when it is valid).
pub fn schema_problems(report: &Value) -> Vec<String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(SCHEMA_PATH).expect("the schema is readable");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
    });
    validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A finding reduced to what the location table compares: (rule, document, line, column).
pub type Spot = (String, u64, u64, u64);

/// The findings of a report as [`Spot`]s, in report order.
pub fn spots(report: &Value) -> Vec<Spot> {
    findings(report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule is a string").to_owned(),
                f["document"].as_u64().expect("document is a number"),
                f["line"].as_u64().expect("line is a number"),
                f["column"].as_u64().expect("column is a number"),
            )
        })
        .collect()
}

/// The findings array.
pub fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings is an array")
}

/// The errors array.
pub fn errors(report: &Value) -> &Vec<Value> {
    report["errors"].as_array().expect("errors is an array")
}

/// The notices array.
pub fn notices(report: &Value) -> &Vec<Value> {
    report["notices"].as_array().expect("notices is an array")
}

/// The errors with this code.
pub fn errors_with_code<'r>(report: &'r Value, code: &str) -> Vec<&'r Value> {
    errors(report)
        .iter()
        .filter(|e| e["code"] == code)
        .collect()
}
