//! Files generated from the clap definition of the command line, so that they
//! never disagree with it: shell completions (`policy completions SHELL`), man
//! pages (`policy man`) and the Markdown reference `docs/cli.md` (the hidden
//! `policy docs-cli`; a test fails when the committed file is out of date).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Arg, Args, Command, CommandFactory};
use clap_complete::Shell;

use super::{emit, print_errors, Cli, Status};
use crate::finding::CheckError;

/// Arguments of `policy completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `policy man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (`policy.1`, `policy-check.1`, ...) into
    /// this directory instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The command to regenerate `docs/cli.md` with; the drift test prints it.
pub const REGENERATE_DOCS: &str = "cargo run --quiet -- docs-cli > docs/cli.md";

/// Prints a completion script for the shell.
pub fn completions(args: &CompletionsArgs) -> Status {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "policy", &mut out);
    emit(&String::from_utf8_lossy(&out));
    Status::Clean
}

/// Prints the main man page, or writes every page into a directory.
pub fn man(args: &ManArgs, color: bool) -> Status {
    let result = match &args.dir {
        Some(dir) => std::fs::create_dir_all(dir)
            .and_then(|_| clap_mangen::generate_to(Cli::command(), dir))
            .map(|_| None),
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map(|_| Some(out))
        }
    };
    match result {
        Ok(Some(page)) => {
            emit(&String::from_utf8_lossy(&page));
            Status::Clean
        }
        Ok(None) => Status::Clean,
        Err(e) => {
            let place = args
                .dir
                .as_ref()
                .map_or_else(|| "<stdout>".to_owned(), |d| d.display().to_string());
            print_errors(
                &[CheckError::file(&place, "output-unwritable", e.to_string())],
                color,
            );
            Status::Error
        }
    }
}

/// Prints the Markdown reference.
pub fn docs_cli() -> Status {
    emit(&markdown(Cli::command()));
    Status::Clean
}

/// The Markdown reference of a command and its visible subcommands.
pub fn markdown(cmd: Command) -> String {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut out = String::new();
    out.push_str("# Command-line reference\n\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the clap definitions by `policy docs-cli`; do not edit.\n     Regenerate: {REGENERATE_DOCS} -->\n"
    );
    out.push_str(
        "Every command also takes `-h`/`--help`; `--help` shows the long form of this text.\n",
    );
    section(&cmd, &mut out);
    out
}

fn section(cmd: &Command, out: &mut String) {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let _ = writeln!(out, "\n## `{name}`\n");
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        let _ = writeln!(out, "{}\n", about.to_string().trim_end());
    }
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    let _ = writeln!(out, "```\n{usage}\n```");
    let subcommands: Vec<&Command> = cmd.get_subcommands().filter(|c| !c.is_hide_set()).collect();
    if !subcommands.is_empty() {
        out.push_str("\n**Commands:**\n\n");
        for sub in &subcommands {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            let _ = writeln!(out, "- `{}`: {}", sub.get_name(), about.trim_end());
        }
    }
    // Global options are listed once, with the top-level command.
    let top = cmd.get_bin_name().is_none_or(|n| !n.contains(' '));
    let visible = |a: &&Arg| !a.is_hide_set() && !is_builtin(a) && (top || !a.is_global_set());
    let positionals: Vec<&Arg> = cmd.get_positionals().filter(visible).collect();
    if !positionals.is_empty() {
        out.push_str("\n**Arguments:**\n\n");
        for arg in positionals {
            argument(arg, out);
        }
    }
    let options: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional())
        .filter(visible)
        .collect();
    if !options.is_empty() {
        out.push_str("\n**Options:**\n\n");
        for arg in options {
            argument(arg, out);
        }
    }
    for sub in subcommands {
        section(sub, out);
    }
}

/// `-h`/`--help` and `--version`, which every command has.
fn is_builtin(arg: &Arg) -> bool {
    matches!(arg.get_id().as_str(), "help" | "version")
}

fn argument(arg: &Arg, out: &mut String) {
    let value_names: Vec<String> = arg
        .get_value_names()
        .map(|names| names.iter().map(|n| format!("<{n}>")).collect())
        .unwrap_or_default();
    let repeats = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    let mut head = String::new();
    if arg.is_positional() {
        head.push_str(&value_names.join(" "));
        if repeats {
            head.push_str("...");
        }
    } else {
        let mut names = Vec::new();
        if let Some(short) = arg.get_short() {
            names.push(format!("-{short}"));
        }
        if let Some(long) = arg.get_long() {
            names.push(format!("--{long}"));
        }
        head.push_str(&names.join(", "));
        if arg.get_action().takes_values() && !value_names.is_empty() {
            head.push(' ');
            head.push_str(&value_names.join(" "));
        }
    }
    let help = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(|h| sentence(&h.to_string()))
        .unwrap_or_default();
    let _ = write!(out, "- `{head}`: {help}");
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| format!("`{}`", d.to_string_lossy()))
        .collect();
    if takes_values && !defaults.is_empty() {
        let _ = write!(out, " Default: {}.", defaults.join(", "));
    }
    if let Some(env) = arg.get_env() {
        let _ = write!(out, " Environment: `{}`.", env.to_string_lossy());
    }
    if arg.is_global_set() {
        out.push_str(" Global: also accepted after any subcommand.");
    }
    out.push('\n');
    if takes_values {
        for value in arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
        {
            let _ = write!(out, "  - `{}`", value.get_name());
            if let Some(h) = value.get_help() {
                let _ = write!(out, ": {}", h.to_string().trim_end());
            }
            out.push('\n');
        }
    }
}

/// Help text as a sentence: clap drops the final period of one-line help.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() || text.ends_with(['.', '!', '?', ':']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}
