//! The JSON format, version 1 (documented in README.md): stable field names,
//! additive changes only within a version.

use serde::Serialize;

use crate::check::Report;
use crate::finding::{CheckError, Finding, InputNotice};

/// The schema version of this output.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Summary {
    files: usize,
    documents: usize,
    failures: usize,
    warnings: usize,
    waived: usize,
    errors: usize,
}

#[derive(Serialize)]
struct Output<'r> {
    version: u32,
    summary: Summary,
    findings: &'r [Finding],
    errors: &'r [CheckError],
    notices: &'r [InputNotice],
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let tally = report.tally();
    let output = Output {
        version: VERSION,
        summary: Summary {
            files: report.files,
            documents: report.documents,
            failures: tally.failures,
            warnings: tally.warnings,
            waived: tally.waived,
            errors: report.errors.len(),
        },
        findings: &report.findings,
        errors: &report.errors,
        notices: &report.notices,
    };
    let mut text = serde_json::to_string_pretty(&output).expect("report values are plain JSON");
    text.push('\n');
    text
}
