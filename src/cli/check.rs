//! `policy check`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::output::{self, OutputSpec, OutputSpecParser};
use super::{
    flag_or_file, init_threads, load_policy_sets, print_errors, ColorChoice, PolicyFailure, Status,
};
use crate::check::{self, CheckOptions, Report, Target};
pub use crate::config::FailOn;
use crate::config::{self, Config, EngineChoice};
use crate::engine::{CompileOptions, EngineKind, Level, Severity};
use crate::finding::CheckError;
use crate::glob::Glob;
use crate::report::progress::{self, Progress};
use crate::report::{self, Context, Style};
use crate::waiver::{self, WaiverSet};

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
    /// [default: human]
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FORMAT[=PATH]",
        value_parser = OutputSpecParser,
        action = clap::ArgAction::Append
    )]
    pub output: Vec<OutputSpec>,
    /// What makes the run exit 1 [default: failure].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Only findings of this severity or above make the run exit 1
    /// (critical, high, medium, low, info); the others are still reported.
    #[arg(long, value_name = "LEVEL", value_parser = |s: &str| s.parse::<Severity>())]
    pub severity_threshold: Option<Severity>,
    /// Worker threads (0 = one per core) [default: 0].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Evaluation deadline per document, in seconds [default: 10].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Evaluator: regorus' interpreter (the reference: run-time errors in a
    /// rule are reported), or its bytecode VM where a rule group compiles to
    /// it (faster; the webhook's default) [default: interpreter].
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub engine: Option<EngineChoice>,
    /// Largest input file read, in bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Directory of the `.tf` sources of the Terraform plans checked, so that plan
    /// findings also point at the resource's block (default: `.tf` files beside the plan).
    #[arg(long, value_name = "DIR")]
    pub tf_source: Option<PathBuf>,
    /// Waiver file: accepted exceptions with owner, reason and expiry (see docs/waivers.md).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Rules without `custom.targets` see all documents of the run at once, as one
    /// array input (as with Conftest's --combine); targeted rules still see one at a time.
    #[arg(long)]
    pub combine: bool,
    /// Only run the rules of this Rego package or its sub-packages (repeatable).
    #[arg(long = "namespace", value_name = "PACKAGE")]
    pub namespaces: Vec<String>,
    /// Skip input files matching this glob (repeatable; `vendor/**` matches at any depth).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Settings file [default: railyard.toml in the current directory or above].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No progress bar (it only shows on a terminal outside CI anyway).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `policy check`.
pub fn run(args: CheckArgs, choice: ColorChoice) -> Status {
    let color = choice.enabled();
    let settings = match Settings::resolve(args) {
        Ok(s) => s,
        Err(errors) => {
            print_errors(&errors, color);
            return Status::Error;
        }
    };
    init_threads(settings.jobs);
    // Before anything is evaluated: a report that cannot be written must not
    // cost a whole check first.
    let outputs = match output::open(&settings.output) {
        Ok(o) => o,
        Err(errors) => {
            print_errors(&errors, color);
            return Status::Error;
        }
    };
    let warnings_fail = settings.fail_on == FailOn::Warning;
    let compile = CompileOptions {
        include_tests: false,
        deadline: settings.timeout,
        namespaces: settings.namespaces.clone(),
        engine: settings.engine,
        ..CompileOptions::default()
    };
    let loaded = load_policy_sets(&settings.policy, &settings.data, &compile)
        .and_then(|p| unmatched_namespaces(&settings.namespaces, &p.set).map(|()| p));
    let (policy, gatekeeper) = match loaded {
        Ok(p) => (p.set, p.gatekeeper),
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
    let (paths, stdin): (Vec<PathBuf>, Vec<PathBuf>) = settings
        .paths
        .iter()
        .cloned()
        .partition(|p| p.as_os_str() != "-");
    let (files, discover_errors) = check::discover(&paths);
    let reports = output::file_paths(&outputs);
    let mut targets: Vec<Target> = files
        .into_iter()
        .filter(|f| {
            reports.is_empty() || !std::fs::canonicalize(f).is_ok_and(|f| reports.contains(&f))
        })
        .filter(|f| {
            let shown = f.display().to_string();
            !settings.exclude.iter().any(|g| g.matches_path(&shown))
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
        max_file_size: settings.max_file_size,
        snippets: outputs.iter().any(|o| o.format() == report::Format::Human),
        tf_source: settings.tf_source.clone(),
        combine: settings.combine,
        gatekeeper: Some(gatekeeper),
        ..CheckOptions::default()
    };
    let bar = Progress::new(
        targets.len(),
        progress::wanted_here(settings.quiet),
        choice.enabled_on_stderr(),
    );
    let mut report = check::run_with_progress(&targets, &policy, &options, &|| bar.file_done());
    bar.finish();
    if let Some(waivers) = &settings.waivers {
        let outcome = waivers.apply(&mut report.findings, waiver::today());
        report.notices.extend(outcome.notices);
    }
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
    status(&report, settings.fail_on, settings.severity_threshold)
}

/// Flags over `railyard.toml` over defaults, checked before anything runs.
struct Settings {
    paths: Vec<PathBuf>,
    policy: Vec<PathBuf>,
    data: Vec<PathBuf>,
    output: Vec<OutputSpec>,
    fail_on: FailOn,
    severity_threshold: Option<Severity>,
    jobs: usize,
    timeout: Duration,
    engine: EngineKind,
    max_file_size: u64,
    tf_source: Option<PathBuf>,
    waivers: Option<WaiverSet>,
    combine: bool,
    namespaces: Vec<String>,
    exclude: Vec<Glob>,
    quiet: bool,
}

impl Settings {
    fn resolve(args: CheckArgs) -> Result<Settings, Vec<CheckError>> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let config: Config = config::discover(args.config.as_deref(), &cwd)?;
        let flag_error = |flag: &str, message: String| CheckError::file(flag, "bad-flag", message);
        let timeout = args.timeout.or(config.check.timeout).unwrap_or(10.0);
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(vec![flag_error(
                "--timeout",
                "must be a positive number of seconds".into(),
            )]);
        }
        let mut exclude = Vec::new();
        for pattern in args.exclude.iter().chain(&config.check.exclude) {
            exclude.push(Glob::new(pattern).map_err(|why| vec![flag_error("--exclude", why)])?);
        }
        let waivers = match args.waivers.as_ref().or(config.waivers.as_ref()) {
            Some(path) => Some(WaiverSet::load(path)?),
            None => None,
        };
        let mut output = flag_or_file(args.output, config.check.output);
        if output.is_empty() {
            output.push(OutputSpec {
                format: report::Format::Human,
                path: None,
            });
        }
        Ok(Settings {
            paths: args.paths,
            policy: flag_or_file(args.policy, config.policy),
            data: flag_or_file(args.data, config.data),
            output,
            fail_on: args
                .fail_on
                .or(config.check.fail_on)
                .unwrap_or(FailOn::Failure),
            severity_threshold: args.severity_threshold.or(config.check.severity_threshold),
            jobs: args.jobs.or(config.check.jobs).unwrap_or(0),
            timeout: Duration::from_secs_f64(timeout),
            engine: args
                .engine
                .or(config.check.engine)
                .unwrap_or(EngineChoice::Interpreter)
                .into(),
            max_file_size: args.max_file_size,
            tf_source: args.tf_source.or(config.check.tf_source),
            waivers,
            combine: args.combine || config.check.combine.unwrap_or(false),
            namespaces: flag_or_file(args.namespaces, config.namespaces),
            exclude,
            quiet: args.quiet,
        })
    }
}

/// A `--namespace` that selects no rule is a typo, not a clean run.
fn unmatched_namespaces(
    namespaces: &[String],
    policy: &crate::engine::PolicySet,
) -> Result<(), PolicyFailure> {
    let errors: Vec<CheckError> = namespaces
        .iter()
        .filter(|ns| {
            !policy
                .rules()
                .iter()
                .any(|r| crate::engine::in_namespace(&r.package, ns))
        })
        .map(|ns| {
            CheckError::file(
                "--namespace",
                "bad-flag",
                format!("no rule is in package `{ns}` or below it"),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(PolicyFailure {
            errors,
            compiling: false,
        })
    }
}

fn status(report: &check::Report, fail_on: FailOn, threshold: Option<Severity>) -> Status {
    if !report.errors.is_empty() {
        return Status::Error;
    }
    let failing = report.findings.iter().filter(|f| f.counts()).any(|f| {
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
