//! The `policy` command line: flags parsed with clap derive, then each
//! subcommand is a thin adapter over the library. Exit codes: 0 clean,
//! 1 failures, 2 anything that prevented a complete run.

mod check;
mod eval;
mod generate;
mod lint;
mod output;
mod parse;
mod policies;
mod rules;
#[cfg(feature = "server")]
mod serve;
mod test;
mod verify;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::{CompileError, CompileOptions, PolicySet};
use crate::finding::{CheckError, Snippet};
use crate::gatekeeper::GatekeeperSet;
use crate::report::frame::{Frame, Renderer};

/// Railyard: policy as code for Kubernetes manifests and cloud configuration.
#[derive(Debug, Parser)]
#[command(name = "policy", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour output choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether stdout gets colours.
    fn enabled(self) -> bool {
        self.enabled_for(std::io::stdout().is_terminal())
    }

    /// Whether stderr gets colours (the progress bar).
    fn enabled_on_stderr(self) -> bool {
        self.enabled_for(std::io::stderr().is_terminal())
    }

    fn enabled_for(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal
            }
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files against policies (the built-in library by default).
    Check(check::CheckArgs),
    /// Run the Rego unit tests (`test_*` rules) of policy directories.
    Test(test::TestArgs),
    /// Compile policies (the built-in library by default) and report every problem with its place.
    Lint(lint::LintArgs),
    /// Evaluate a Rego query against policies, data and an input (OPA-style); prints JSON.
    Eval(eval::EvalArgs),
    /// Print the documents of a file as policies see them (JSON), with their detected format.
    Parse(parse::ParseArgs),
    /// List the rules of the policy set (the built-in library by default), sorted by id.
    Rules(rules::RulesArgs),
    /// Run Gatekeeper `gator verify` suites (suite.yaml files, or directories holding them).
    Verify(verify::VerifyArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(generate::CompletionsArgs),
    /// Print the man page (`policy man > policy.1`), or write all pages with --dir.
    Man(generate::ManArgs),
    /// Print the Markdown command-line reference (docs/cli.md).
    #[command(hide = true, name = "docs-cli")]
    DocsCli,
    /// Serve the admission webhook (HTTPS `POST /validate`) with the same policies.
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
}

/// Exit status of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Nothing to report.
    Clean = 0,
    /// At least one failure.
    Failed = 1,
    /// Something prevented a complete run.
    Error = 2,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = cli.color.enabled();
    let result = match cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Test(args) => test::run(args, color),
        Command::Lint(args) => lint::run(args, color),
        Command::Eval(args) => eval::run(args, color),
        Command::Parse(args) => parse::run(args, color),
        Command::Rules(args) => rules::run(args, color),
        Command::Verify(args) => verify::run(args),
        Command::Completions(args) => generate::completions(&args),
        Command::Man(args) => generate::man(&args, color),
        Command::DocsCli => generate::docs_cli(),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
    };
    ExitCode::from(result as u8)
}

/// Writes to stdout; a closed pipe (`policy check | head`) is not an error.
pub(crate) fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Reads stdin as a target, reporting a read failure as an error run.
pub(crate) fn stdin_or_report(color: bool) -> Result<crate::check::Target, Status> {
    crate::check::stdin_target().map_err(|e| {
        print_errors(
            &[CheckError::file(
                "<stdin>",
                "input-unreadable",
                e.to_string(),
            )],
            color,
        );
        Status::Error
    })
}

/// Renders errors that stop a run before it starts (policies, flags) on stderr.
pub(crate) fn print_errors(errors: &[CheckError], color: bool) {
    let renderer = Renderer::new(color && std::io::stderr().is_terminal());
    let mut out = String::new();
    for e in errors {
        renderer.render(Frame::for_error(e), &mut out);
    }
    eprint!("{out}");
}

fn compile_error_to_check_error(e: &CompileError) -> CheckError {
    let snippet = e.text.as_ref().filter(|_| e.line > 0).and_then(|source| {
        let start = source.offset_of(e.line, e.column.max(1));
        let end = source
            .line_range(e.line)
            .map_or(start, |r| r.end.max(start));
        Snippet::around(source, crate::source::Span::new(start, end)).map(Box::new)
    });
    CheckError {
        file: e.file.clone(),
        line: (e.line > 0).then_some(e.line),
        column: (e.column > 0).then_some(e.column),
        code: e.code,
        message: e.message.clone(),
        snippet,
    }
}

/// Policies that could not be loaded or compiled.
pub(crate) struct PolicyFailure {
    /// What went wrong, per file.
    pub errors: Vec<CheckError>,
    /// Whether the files were read and compilation failed (rather than reading).
    pub compiling: bool,
}

impl PolicyFailure {
    /// Prints the errors on stderr.
    pub fn print(&self, color: bool) {
        print_errors(&self.errors, color);
        if self.compiling {
            eprintln!(
                "error: {} policy error(s); nothing was checked",
                self.errors.len()
            );
        }
    }
}

/// The compiled policies of a run: Rego rules and Gatekeeper constraints.
pub(crate) struct Policies {
    /// The Rego policy set.
    pub set: Arc<PolicySet>,
    /// ConstraintTemplates and Constraints found among the policies.
    pub gatekeeper: Arc<GatekeeperSet>,
}

/// Loads and compiles policies and Gatekeeper constraints, returning what went
/// wrong on failure (the problems of both).
pub(crate) fn load_policy_sets(
    policy_paths: &[PathBuf],
    data_paths: &[PathBuf],
    options: &CompileOptions,
) -> Result<Policies, PolicyFailure> {
    let loaded = policies::load(policy_paths, data_paths);
    if !loaded.errors.is_empty() {
        return Err(PolicyFailure {
            errors: loaded.errors,
            compiling: false,
        });
    }
    let set = PolicySet::compile(&loaded.policies, &loaded.data, options)
        .map_err(|errors| errors.iter().map(compile_error_to_check_error).collect());
    let gatekeeper = loaded.gatekeeper.compile(options.deadline);
    match (set, gatekeeper) {
        (Ok(set), Ok(gatekeeper)) => Ok(Policies {
            set: Arc::new(set),
            gatekeeper: Arc::new(gatekeeper),
        }),
        (set, gatekeeper) => {
            let mut errors: Vec<CheckError> = set.err().unwrap_or_default();
            errors.extend(gatekeeper.err().unwrap_or_default());
            Err(PolicyFailure {
                errors,
                compiling: true,
            })
        }
    }
}

/// Loads and compiles policies, returning what went wrong on failure.
pub(crate) fn load_policies(
    policy_paths: &[PathBuf],
    data_paths: &[PathBuf],
    options: &CompileOptions,
) -> Result<Arc<PolicySet>, PolicyFailure> {
    load_policy_sets(policy_paths, data_paths, options).map(|p| p.set)
}

/// Loads and compiles policies, printing diagnostics on failure.
pub(crate) fn compile_policies(
    policy_paths: &[PathBuf],
    data_paths: &[PathBuf],
    options: &CompileOptions,
    color: bool,
) -> Result<Arc<PolicySet>, Status> {
    load_policies(policy_paths, data_paths, options).map_err(|failure| {
        failure.print(color);
        Status::Error
    })
}

/// A repeatable flag replaces the configuration file's list when given at all.
pub(crate) fn flag_or_file<T>(flag: Vec<T>, file: Vec<T>) -> Vec<T> {
    if flag.is_empty() {
        file
    } else {
        flag
    }
}

/// Policy and data paths as given, or, when no policy path is, those of the
/// `railyard.toml` found from the working directory up (as `policy check` reads them).
pub(crate) fn configured_policies(
    policy: Vec<PathBuf>,
    data: Vec<PathBuf>,
    color: bool,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Status> {
    if !policy.is_empty() {
        return Ok((policy, data));
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match crate::config::discover(None, &cwd) {
        Ok(config) if data.is_empty() => Ok((config.policy, config.data)),
        Ok(config) => Ok((config.policy, data)),
        Err(errors) => {
            print_errors(&errors, color);
            Err(Status::Error)
        }
    }
}

/// Sets the worker count for parallel evaluation (0 = one per core).
pub(crate) fn init_threads(jobs: usize) {
    // Generous stacks: documents may nest up to the parser's depth limit.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(16 * 1024 * 1024)
        .build_global();
}
