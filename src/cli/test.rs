//! `policy test`: runs `test_*` rules and reports each.

use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;
use serde::Serialize;

use super::{compile_policies, emit, init_threads, print_errors, Status};
use crate::engine::testing::{Outcome, TestResult};
use crate::engine::CompileOptions;
use crate::finding::CheckError;

/// Output formats of `policy test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// One line per test, then a summary.
    Human,
    /// A JSON document.
    Json,
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
    let results: Vec<TestResult> = cases.par_iter().map(|c| policy.run_test(c)).collect();
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
            let doc = serde_json::json!({"passed": passed, "failed": failed, "tests": rows});
            emit(&format!("{doc:#}\n"));
        }
        TestFormat::Human => emit(&human(&results, args.verbose, passed, failed)),
    }
    if results.is_empty() {
        eprintln!("warning: no test_* rules found");
    }
    if failed > 0 {
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
