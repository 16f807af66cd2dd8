//! `policy verify`: runs Gatekeeper `gator verify` suites and prints every
//! test and case the way `gator verify -v` does; exit 1 when one fails.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use rayon::prelude::*;

use super::{emit, init_threads, Status};
use crate::gatekeeper::suite::{self, CaseResult, SuiteResult, TestResult};

/// Arguments of `policy verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Suite files, or directories searched for them (`dir/...` is accepted, as `gator` writes it).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Accepted for `gator verify -v` compatibility: every test and case is always listed.
    #[arg(short, long)]
    pub verbose: bool,
    /// Evaluation deadline of each case, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
}

/// Runs `policy verify`.
pub fn run(args: VerifyArgs) -> Status {
    let Some(deadline) = (args.timeout.is_finite() && args.timeout > 0.0)
        .then(|| Duration::from_secs_f64(args.timeout))
    else {
        eprintln!("error: --timeout must be a positive number of seconds");
        return Status::Error;
    };
    init_threads(args.jobs);
    let (files, errors) = suite::discover(&args.paths);
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        return Status::Error;
    }
    if files.is_empty() {
        eprintln!("error: no gator Suite (test.gatekeeper.sh/v1alpha1, kind Suite) found");
        return Status::Error;
    }
    let results: Vec<SuiteResult> = files.par_iter().map(|f| suite::run(f, deadline)).collect();
    let mut out = String::new();
    for result in &results {
        print_suite(&mut out, result);
    }
    let failed = results.iter().any(SuiteResult::failed);
    out.push_str(if failed { "FAIL\n" } else { "PASS\n" });
    emit(&out);
    if failed {
        Status::Failed
    } else {
        Status::Clean
    }
}

fn print_suite(out: &mut String, suite: &SuiteResult) {
    for test in &suite.tests {
        print_test(out, test);
    }
    if suite.failed() {
        out.push_str(&format!("FAIL\t{}\t{:?}\n", suite.path, suite.runtime));
        if let Some(e) = &suite.error {
            out.push_str(&format!("  {e}\n"));
        }
    } else {
        out.push_str(&format!("ok\t{}\t{:?}\n", suite.path, suite.runtime));
    }
}

fn print_test(out: &mut String, test: &TestResult) {
    if test.skipped {
        out.push_str(&format!("=== SKIP  {}\n", test.name));
        return;
    }
    out.push_str(&format!("=== RUN   {}\n", test.name));
    for case in &test.cases {
        print_case(out, case);
    }
    if test.failed() {
        out.push_str(&format!("--- FAIL: {}\t({:?})\n", test.name, test.runtime));
        if let Some(e) = &test.error {
            out.push_str(&format!("  {e}\n"));
        }
    } else {
        out.push_str(&format!("--- PASS: {}\t({:?})\n", test.name, test.runtime));
    }
}

fn print_case(out: &mut String, case: &CaseResult) {
    if case.skipped {
        out.push_str(&format!("    === SKIP  {}\n", case.name));
        return;
    }
    out.push_str(&format!("    === RUN   {}\n", case.name));
    match &case.error {
        Some(e) => out.push_str(&format!(
            "    --- FAIL: {}\t({:?})\n        {e}\n",
            case.name, case.runtime
        )),
        None => out.push_str(&format!(
            "    --- PASS: {}\t({:?})\n",
            case.name, case.runtime
        )),
    }
}
