//! `policy rules`: lists the rules of a policy set (the built-in library by
//! default) with their id, severity, level, title, targets and package,
//! sorted by id.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{compile_policies, emit, Status};
use crate::engine::{CompileOptions, Level};
use crate::report::catalog::default_severity;

/// Output formats of `policy rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// An aligned table.
    Human,
    /// A JSON array.
    Json,
}

/// Arguments of `policy rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Policy directory or file (repeatable); default: the built-in library.
    #[arg(short = 'p', long = "policy", value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Data file or directory merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = RulesFormat::Human)]
    pub output: RulesFormat,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    severity: &'static str,
    level: Level,
    title: String,
    targets: Vec<String>,
    package: String,
    rule: String,
    file: String,
    line: usize,
}

/// Runs `policy rules`.
pub fn run(args: RulesArgs, color: bool) -> Status {
    let set = match compile_policies(&args.policy, &args.data, &CompileOptions::default(), color) {
        Ok(set) => set,
        Err(status) => return status,
    };
    let mut rows: Vec<Row> = set
        .rules()
        .iter()
        .map(|r| Row {
            id: r.id(),
            severity: r
                .meta
                .severity
                .unwrap_or_else(|| default_severity(r.level))
                .as_str(),
            level: r.level,
            title: r.meta.title.clone().unwrap_or_default(),
            targets: r.meta.targets.clone(),
            package: r.package.clone(),
            rule: r.name.clone(),
            file: r.file.clone(),
            line: r.line,
        })
        .collect();
    rows.sort_by(|a, b| (&a.id, &a.package, &a.rule).cmp(&(&b.id, &b.package, &b.rule)));
    match args.output {
        RulesFormat::Json => {
            let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            emit(&format!("{text}\n"));
        }
        RulesFormat::Human => emit(&table(&rows)),
    }
    Status::Clean
}

fn table(rows: &[Row]) -> String {
    // Targets last: a long list of kinds would otherwise pad every row.
    let header = ["ID", "SEVERITY", "LEVEL", "TITLE", "PACKAGE", "TARGETS"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.severity.to_owned(),
                match r.level {
                    Level::Failure => "failure",
                    Level::Warning => "warning",
                }
                .to_owned(),
                r.title.clone(),
                r.package.clone(),
                if r.targets.is_empty() {
                    "*".to_owned()
                } else {
                    r.targets.join(",")
                },
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |row: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.map(str::to_owned));
    for row in &cells {
        line(row);
    }
    out.push_str(&format!("{} rule(s)\n", rows.len()));
    out
}
