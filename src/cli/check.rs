//! `policy check`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::output::{self, OutputSpec, OutputSpecParser};
use super::{init_threads, load_policies, print_errors, ColorChoice, Status};
use crate::check::{self, CheckOptions, Report, Target};
use crate::engine::{CompileOptions, Level, Severity};
use crate::finding::CheckError;
use crate::report::progress::{self, Progress};
use crate::report::{self, Context, Style};

/// When the run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any failure.
    Failure,
    /// Any failure or warning.
    Warning,
    /// Never (errors still exit 2).
    Never,
}

/// Arguments of `policy check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Policy directory or file (repeatable); default: the built-in library.
    #[arg(short = 'p', long = "policy", value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Data file or directory merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Output format, optionally written to a file: `FORMAT[=PATH]`
    /// (repeatable; at most one output without a path, which goes to stdout).
    /// Files are created before the check starts.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FORMAT[=PATH]",
        value_parser = OutputSpecParser,
        action = clap::ArgAction::Append,
        default_value = "human"
    )]
    pub output: Vec<OutputSpec>,
    /// What makes the run exit 1.
    #[arg(long, value_enum, default_value_t = FailOn::Failure)]
    pub fail_on: FailOn,
    /// Only findings of this severity or above make the run exit 1
    /// (critical, high, medium, low, info); the others are still reported.
    #[arg(long, value_name = "LEVEL", value_parser = |s: &str| s.parse::<Severity>())]
    pub severity_threshold: Option<Severity>,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// Evaluation deadline per document, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Largest input file read, in bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Directory of the `.tf` sources of the Terraform plans checked, so that plan
    /// findings also point at the resource's block (default: `.tf` files beside the plan).
    #[arg(long, value_name = "DIR")]
    pub tf_source: Option<PathBuf>,
    /// No progress bar (it only shows on a terminal outside CI anyway).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `policy check`.
pub fn run(args: CheckArgs, choice: ColorChoice) -> Status {
    let color = choice.enabled();
    init_threads(args.jobs);
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        print_errors(
            &[CheckError::file(
                "--timeout",
                "bad-flag",
                "must be a positive number of seconds",
            )],
            color,
        );
        return Status::Error;
    }
    // Before anything is evaluated: a report that cannot be written must not
    // cost a whole check first.
    let outputs = match output::open(&args.output) {
        Ok(o) => o,
        Err(errors) => {
            print_errors(&errors, color);
            return Status::Error;
        }
    };
    let warnings_fail = args.fail_on == FailOn::Warning;
    let compile = CompileOptions {
        include_tests: false,
        deadline: Duration::from_secs_f64(args.timeout),
    };
    let policy = match load_policies(&args.policy, &args.data, &compile) {
        Ok(p) => p,
        Err(failure) => {
            failure.print(color);
            // Nothing was checked: stdout stays empty, but files get a report
            // of the policy errors so that a later upload step finds one.
            let files: Vec<_> = outputs.into_iter().filter(|o| !o.is_stdout()).collect();
            let report = Report {
                errors: failure.errors,
                ..Report::default()
            };
            let context = Context {
                warnings_fail,
                ..Context::default()
            };
            print_errors(&output::write(files, &report, &context, false), color);
            return Status::Error;
        }
    };
    let (paths, stdin): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.into_iter().partition(|p| p.as_os_str() != "-");
    let (files, discover_errors) = check::discover(&paths);
    let reports = output::file_paths(&outputs);
    let mut targets: Vec<Target> = files
        .into_iter()
        .filter(|f| {
            reports.is_empty() || !std::fs::canonicalize(f).is_ok_and(|f| reports.contains(&f))
        })
        .map(Target::File)
        .collect();
    if !stdin.is_empty() {
        match super::stdin_or_report(color) {
            Ok(t) => targets.push(t),
            Err(status) => return status,
        }
    }
    let options = CheckOptions {
        max_file_size: args.max_file_size,
        snippets: outputs.iter().any(|o| o.format() == report::Format::Human),
        tf_source: args.tf_source.clone(),
        ..CheckOptions::default()
    };
    let bar = Progress::new(
        targets.len(),
        progress::wanted_here(args.quiet),
        choice.enabled_on_stderr(),
    );
    let mut report = check::run_with_progress(&targets, &policy, &options, &|| bar.file_done());
    bar.finish();
    report.errors.extend(discover_errors);
    report
        .errors
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let context = Context {
        style: Style { color },
        rules: policy.rules(),
        warnings_fail,
    };
    let write_errors = output::write(outputs, &report, &context, color);
    if !write_errors.is_empty() {
        print_errors(&write_errors, color);
        return Status::Error;
    }
    status(&report, args.fail_on, args.severity_threshold)
}

fn status(report: &check::Report, fail_on: FailOn, threshold: Option<Severity>) -> Status {
    if !report.errors.is_empty() {
        return Status::Error;
    }
    let failing = report.findings.iter().any(|f| {
        // Severities order from critical down: "at or above" is `<=`.
        threshold.is_none_or(|t| f.severity <= t)
            && match fail_on {
                FailOn::Failure => f.level == Level::Failure,
                FailOn::Warning => true,
                FailOn::Never => false,
            }
    });
    if failing {
        Status::Failed
    } else {
        Status::Clean
    }
}
