//! `policy test`: runs `test_*` rules and reports each; with `--coverage`,
//! the policy lines the tests evaluated (regorus's coverage), per file and in
//! total, against an optional `--threshold`.

use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;
use serde::Serialize;

use super::{compile_policies, emit, init_threads, print_errors, Status};
use crate::engine::testing::{percent, FileCoverage, Outcome, TestCoverage, TestResult};
use crate::engine::CompileOptions;
use crate::finding::CheckError;

/// Output formats of `policy test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// One line per test, then a summary.
    Human,
    /// A JSON document.
    Json,
    /// JUnit XML: one test suite per package, one test case per test.
    Junit,
}

/// Arguments of `policy test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Policy directories or files holding policies and their `_test.rego` files.
    #[arg(value_name = "DIR", default_value = "policies")]
    pub paths: Vec<PathBuf>,
    /// Data file or directory merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Only run tests whose `package.rule` name matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub run: Option<String>,
    /// Show timings and print() output of passing tests too.
    #[arg(short, long)]
    pub verbose: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = TestFormat::Human)]
    pub output: TestFormat,
    /// Report line coverage of the policy files (test files and the built-in helpers left out).
    #[arg(long)]
    pub coverage: bool,
    /// Exit 1 when total line coverage is below this percentage (implies --coverage).
    #[arg(long, value_name = "PCT", value_parser = parse_threshold)]
    pub threshold: Option<f64>,
}

fn parse_threshold(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!("{text:?} is not a percentage between 0 and 100")),
    }
}

#[derive(Serialize)]
struct JsonCoverageFile<'a> {
    file: &'a str,
    percent: f64,
    covered: usize,
    not_covered: usize,
    uncovered_lines: Vec<u32>,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    package: &'a str,
    name: &'a str,
    file: &'a str,
    line: usize,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    prints: &'a [String],
    duration_ms: f64,
}

/// Runs `policy test`.
pub fn run(args: TestArgs, color: bool) -> Status {
    init_threads(0);
    let filter = match args.run.as_deref().map(regex::Regex::new).transpose() {
        Ok(f) => f,
        Err(e) => {
            print_errors(
                &[CheckError::file("--run", "bad-flag", e.to_string())],
                color,
            );
            return Status::Error;
        }
    };
    let compile = CompileOptions {
        include_tests: true,
        ..CompileOptions::default()
    };
    let policy = match compile_policies(&args.paths, &args.data, &compile, color) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let cases: Vec<_> = policy
        .tests()
        .iter()
        .filter(|t| {
            filter
                .as_ref()
                .is_none_or(|re| re.is_match(&format!("{}.{}", t.package, t.name)))
        })
        .collect();
    let with_coverage = args.coverage || args.threshold.is_some();
    let (results, coverages): (Vec<TestResult>, Vec<TestCoverage>) = if with_coverage {
        cases
            .par_iter()
            .map(|c| policy.run_test_with_coverage(c))
            .unzip()
    } else {
        cases
            .par_iter()
            .map(|c| (policy.run_test(c), TestCoverage::default()))
            .unzip()
    };
    let coverage: Option<Vec<FileCoverage>> = with_coverage.then(|| {
        policy
            .merge_coverage(coverages)
            .into_iter()
            // The embedded helpers are not the code under test of the directories given.
            .filter(|f| !f.file.starts_with(crate::builtin::PREFIX))
            .collect()
    });
    let total = coverage.as_ref().map(|files| {
        let covered = files.iter().map(|f| f.covered.len()).sum();
        let not_covered = files.iter().map(|f| f.not_covered.len()).sum();
        percent(covered, not_covered)
    });
    let passed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
        .count();
    let failed = results.len() - passed;
    match args.output {
        TestFormat::Json => {
            let rows: Vec<JsonResult> = results
                .iter()
                .map(|r| JsonResult {
                    package: &r.case.package,
                    name: &r.case.name,
                    file: &r.case.file,
                    line: r.case.line,
                    outcome: match r.outcome {
                        Outcome::Pass => "pass",
                        Outcome::Fail => "fail",
                        Outcome::Error(_) => "error",
                    },
                    error: match &r.outcome {
                        Outcome::Error(e) => Some(e),
                        _ => None,
                    },
                    prints: &r.prints,
                    duration_ms: r.duration.as_secs_f64() * 1000.0,
                })
                .collect();
            let mut doc = serde_json::json!({"passed": passed, "failed": failed, "tests": rows});
            if let (Some(files), Some(total)) = (&coverage, total) {
                let files: Vec<JsonCoverageFile> = files
                    .iter()
                    .map(|f| JsonCoverageFile {
                        file: &f.file,
                        percent: round(f.percent()),
                        covered: f.covered.len(),
                        not_covered: f.not_covered.len(),
                        uncovered_lines: f.not_covered.iter().copied().collect(),
                    })
                    .collect();
                doc["coverage"] = serde_json::json!({
                    "percent": round(total),
                    "threshold": args.threshold,
                    "files": files,
                });
            }
            emit(&format!("{doc:#}\n"));
        }
        TestFormat::Junit => emit(&junit(&results)),
        TestFormat::Human => {
            let mut out = human(&results, args.verbose, passed, failed);
            if let (Some(files), Some(total)) = (&coverage, total) {
                out.push_str(&coverage_table(files, total));
            }
            emit(&out);
        }
    }
    let below = match (args.threshold, total) {
        (Some(threshold), Some(total)) if round(total) < threshold => {
            eprintln!(
                "error: coverage {:.1}% is below the threshold of {threshold}%",
                total
            );
            true
        }
        _ => false,
    };
    if results.is_empty() {
        eprintln!("warning: no test_* rules found");
    }
    if failed > 0 || below {
        Status::Failed
    } else {
        Status::Clean
    }
}

fn human(results: &[TestResult], verbose: bool, passed: usize, failed: usize) -> String {
    let mut out = String::new();
    for r in results {
        let name = format!("{}.{}", r.case.package, r.case.name);
        let (tag, why) = match &r.outcome {
            Outcome::Pass => ("PASS", None),
            Outcome::Fail => (
                "FAIL",
                Some("the test rule is undefined or false: at least one of its expressions did not hold".to_owned()),
            ),
            Outcome::Error(e) => ("ERROR", Some(e.clone())),
        };
        if verbose {
            out.push_str(&format!(
                "{tag:<5} {name} ({:.2} ms)\n",
                r.duration.as_secs_f64() * 1000.0
            ));
        } else {
            out.push_str(&format!("{tag:<5} {name}\n"));
        }
        if let Some(why) = &why {
            out.push_str(&format!(
                "      at {}:{}\n      {why}\n",
                r.case.file, r.case.line
            ));
        }
        if why.is_some() || verbose {
            for line in &r.prints {
                out.push_str(&format!("      print: {line}\n"));
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    out
}

/// Rounds a percentage to one decimal, as it is shown.
fn round(pct: f64) -> f64 {
    (pct * 10.0).round() / 10.0
}

/// `3-5, 9`: line numbers with runs folded into ranges.
fn ranges(lines: &std::collections::BTreeSet<u32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for &line in lines {
        run = match run {
            Some((start, end)) if line == end + 1 => Some((start, line)),
            Some(done) => {
                parts.push(range_text(done));
                Some((line, line))
            }
            None => Some((line, line)),
        };
    }
    if let Some(done) = run {
        parts.push(range_text(done));
    }
    parts.join(", ")
}

fn range_text((start, end): (u32, u32)) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start}-{end}")
    }
}

fn coverage_table(files: &[FileCoverage], total: f64) -> String {
    let width = files
        .iter()
        .map(|f| f.file.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("\ncoverage:\n");
    for f in files {
        out.push_str(&format!("  {:<width$}  {:>5.1}%", f.file, f.percent()));
        if !f.not_covered.is_empty() {
            out.push_str(&format!("  not covered: {}", ranges(&f.not_covered)));
        }
        out.push('\n');
    }
    let covered: usize = files.iter().map(|f| f.covered.len()).sum();
    let all: usize = covered + files.iter().map(|f| f.not_covered.len()).sum::<usize>();
    out.push_str(&format!(
        "  {:<width$}  {total:>5.1}%  ({covered} of {all} lines)\n",
        "total"
    ));
    out
}

fn junit(results: &[TestResult]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut suites: std::collections::BTreeMap<&str, TestSuite> = Default::default();
    for r in results {
        let status = match &r.outcome {
            Outcome::Pass => TestCaseStatus::success(),
            Outcome::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message("the test rule is undefined or false");
                status
            }
            Outcome::Error(e) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(e.as_str());
                status
            }
        };
        let mut case = TestCase::new(r.case.name.as_str(), status);
        case.set_classname(r.case.package.as_str())
            .set_time(r.duration);
        case.extra
            .insert("file".into(), r.case.file.as_str().into());
        case.extra
            .insert("line".into(), r.case.line.to_string().into());
        if !r.prints.is_empty() {
            case.set_system_out(r.prints.join("\n"));
        }
        suites
            .entry(r.case.package.as_str())
            .or_insert_with(|| TestSuite::new(r.case.package.as_str()))
            .add_test_case(case);
    }
    let mut report = Report::new("railyard-policy-test");
    report.add_test_suites(suites.into_values());
    let mut text = report.to_string().unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
