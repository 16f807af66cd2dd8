//! `policy lint`: compiles policy directories (the built-in library by
//! default) and reports every problem as a code frame in the policy file.
//! Exit 2 on errors; warnings exit 0 unless `--strict`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::{compile_error_to_check_error, emit, policies, print_errors, Status};
use crate::engine::lint::{lint, LintLevel};
use crate::report::frame::{Frame, Renderer};

/// Output formats of `policy lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// Code frames on stdout, then a summary.
    Human,
    /// A JSON document.
    Json,
}

/// Arguments of `policy lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Policy directories or files (test files included). Default: `policy` of the
    /// railyard.toml found from here up, else the built-in library.
    #[arg(value_name = "DIR")]
    pub paths: Vec<PathBuf>,
    /// Data file or directory merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Warnings (unused imports, missing metadata) also fail the run (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = LintFormat::Human)]
    pub output: LintFormat,
}

/// Runs `policy lint`.
pub fn run(args: LintArgs, color: bool) -> Status {
    let (paths, data) = match super::configured_policies(args.paths, args.data, color) {
        Ok(paths) => paths,
        Err(status) => return status,
    };
    let loaded = policies::load(&paths, &data);
    if !loaded.errors.is_empty() {
        print_errors(&loaded.errors, color);
        return Status::Error;
    }
    let diagnostics = lint(&loaded.policies, &loaded.data);
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == LintLevel::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    match args.output {
        LintFormat::Json => {
            let rows: Vec<_> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "level": d.level,
                        "code": d.error.code,
                        "file": d.error.file,
                        "line": d.error.line,
                        "column": d.error.column,
                        "message": d.error.message,
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "files": loaded.policies.len(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": rows,
            });
            emit(&format!("{doc:#}\n"));
        }
        LintFormat::Human => {
            let renderer = Renderer::new(color && std::io::stdout().is_terminal());
            let mut out = String::new();
            for d in &diagnostics {
                let mut frame = Frame::for_error(&compile_error_to_check_error(&d.error));
                if d.level == LintLevel::Warning {
                    frame.severity = miette::Severity::Warning;
                }
                renderer.render(frame, &mut out);
            }
            out.push_str(&format!(
                "{} policy file(s): {errors} error(s), {warnings} warning(s)\n",
                loaded.policies.len()
            ));
            emit(&out);
        }
    }
    if errors > 0 || (args.strict && warnings > 0) {
        Status::Error
    } else {
        Status::Clean
    }
}
