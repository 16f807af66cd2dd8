//! `policy check`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{compile_policies, emit, init_threads, print_errors, Status};
use crate::check::{self, CheckOptions, Target};
use crate::engine::{CompileOptions, Level};
use crate::finding::CheckError;
use crate::report::{self, Style};

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
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = report::Format::Human)]
    pub output: report::Format,
    /// What makes the run exit 1.
    #[arg(long, value_enum, default_value_t = FailOn::Failure)]
    pub fail_on: FailOn,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// Evaluation deadline per document, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Largest input file read, in bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
}

/// Runs `policy check`.
pub fn run(args: CheckArgs, color: bool) -> Status {
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
    let compile = CompileOptions {
        include_tests: false,
        deadline: Duration::from_secs_f64(args.timeout),
    };
    let policy = match compile_policies(&args.policy, &args.data, &compile, color) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let (paths, stdin): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.into_iter().partition(|p| p.as_os_str() != "-");
    let (files, discover_errors) = check::discover(&paths);
    let mut targets: Vec<Target> = files.into_iter().map(Target::File).collect();
    if !stdin.is_empty() {
        match check::stdin_target() {
            Ok(t) => targets.push(t),
            Err(e) => {
                print_errors(
                    &[CheckError::file(
                        "<stdin>",
                        "input-unreadable",
                        e.to_string(),
                    )],
                    color,
                );
                return Status::Error;
            }
        }
    }
    let options = CheckOptions {
        max_file_size: args.max_file_size,
        snippets: args.output == report::Format::Human,
        ..CheckOptions::default()
    };
    let mut report = check::run(&targets, &policy, &options);
    report.errors.extend(discover_errors);
    report
        .errors
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    emit(&report::render(args.output, &report, Style { color }));
    status(&report, args.fail_on)
}

fn status(report: &check::Report, fail_on: FailOn) -> Status {
    if !report.errors.is_empty() {
        return Status::Error;
    }
    let failing = report.findings.iter().any(|f| match fail_on {
        FailOn::Failure => f.level == Level::Failure,
        FailOn::Warning => true,
        FailOn::Never => false,
    });
    if failing {
        Status::Failed
    } else {
        Status::Clean
    }
}
