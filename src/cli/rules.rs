//! `policy rules`: lists the rules of a policy set (the built-in library by
//! default) with their id, severity, level, title, targets and package,
//! sorted by id; then the Gatekeeper constraints among the policies, with
//! their template kind and enforcement action.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{emit, load_policy_sets, Status};
use crate::engine::{CompileOptions, Level};
use crate::gatekeeper::{Action, EnforcementPoint};
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
    /// Policy directory or file (repeatable); default: `policy` of the railyard.toml
    /// found from here up, else the built-in library.
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
    /// For a Gatekeeper constraint: its template's kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    template_kind: Option<String>,
    /// For a Gatekeeper constraint: its `enforcementAction`.
    #[serde(skip_serializing_if = "Option::is_none")]
    enforcement_action: Option<String>,
}

/// Runs `policy rules`.
pub fn run(args: RulesArgs, color: bool) -> Status {
    let (policy, data) = match super::configured_policies(args.policy, args.data, color) {
        Ok(paths) => paths,
        Err(status) => return status,
    };
    let policies = match load_policy_sets(&policy, &data, &CompileOptions::default()) {
        Ok(p) => p,
        Err(failure) => {
            failure.print(color);
            return Status::Error;
        }
    };
    let set = &policies.set;
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
            template_kind: None,
            enforcement_action: None,
        })
        .collect();
    rows.sort_by(|a, b| (&a.id, &a.package, &a.rule).cmp(&(&b.id, &b.package, &b.rule)));
    let constraints: Vec<Row> = policies
        .gatekeeper
        .constraints()
        .map(|(c, t)| {
            let level = match c.enforcement.at(EnforcementPoint::Gator) {
                Some(Action::Deny) => Level::Failure,
                _ => Level::Warning,
            };
            Row {
                id: c.name.clone(),
                severity: default_severity(level).as_str(),
                level,
                title: t.title.clone().unwrap_or_default(),
                targets: Vec::new(),
                package: format!("gatekeeper.{}", t.name),
                rule: "violation".into(),
                file: c.file.clone(),
                line: c.source.line_col(c.span.start).line,
                template_kind: Some(t.kind.clone()),
                enforcement_action: Some(c.enforcement.describe()),
            }
        })
        .collect();
    match args.output {
        RulesFormat::Json => {
            rows.extend(constraints);
            let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            emit(&format!("{text}\n"));
        }
        RulesFormat::Human => {
            let mut text = table(&rows);
            if !constraints.is_empty() {
                text.push('\n');
                text.push_str(&constraint_table(&constraints));
            }
            emit(&text)
        }
    }
    Status::Clean
}

/// The Gatekeeper constraints: name, template kind, enforcement action, file.
fn constraint_table(rows: &[Row]) -> String {
    let header = ["CONSTRAINT", "TEMPLATE KIND", "ENFORCEMENT", "FILE"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.template_kind.clone().unwrap_or_default(),
                r.enforcement_action.clone().unwrap_or_default(),
                format!("{}:{}", r.file, r.line),
            ]
        })
        .collect();
    let mut out = aligned(&header.map(str::to_owned), &cells);
    out.push_str(&format!("{} constraint(s)\n", rows.len()));
    out
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
    let mut out = aligned(&header.map(str::to_owned), &cells);
    out.push_str(&format!("{} rule(s)\n", rows.len()));
    out
}

/// Columns padded to their widest cell; the last column is not padded.
fn aligned<const N: usize>(header: &[String; N], cells: &[[String; N]]) -> String {
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header).chain(cells) {
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
    }
    out
}
