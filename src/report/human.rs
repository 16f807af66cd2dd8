//! The human format: one code frame per finding and error, then a summary.

use crate::check::Report;
use crate::engine::Level;
use crate::report::frame::{Frame, Renderer};
use crate::report::Style;

/// Renders the report for a terminal or a CI log.
pub fn render(report: &Report, style: Style) -> String {
    let renderer = Renderer::new(style.color);
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.counts()) {
        let label = match &f.title {
            Some(title) => format!("{} ({})", title, f.severity.as_str()),
            None => f.severity.as_str().to_owned(),
        };
        renderer.render(
            Frame {
                message: f.message.clone(),
                code: f.rule.clone(),
                severity: match f.level {
                    Level::Failure => miette::Severity::Error,
                    Level::Warning => miette::Severity::Warning,
                },
                label: Some(label),
                // A Terraform plan finding also names its block in the .tf sources.
                help: match (&f.remediation, &f.source) {
                    (r, Some(s)) => Some(format!(
                        "{}source: {}:{}:{}",
                        r.as_ref().map(|r| format!("{r}\n")).unwrap_or_default(),
                        s.file,
                        s.location.line,
                        s.location.column
                    )),
                    (r, None) => r.clone(),
                },
                file: f.file.clone(),
                position: Some((f.location.line, Some(f.location.column))),
                snippet: f.snippet.clone(),
            },
            &mut out,
        );
    }
    // Waived findings stay visible, one line each, without the noise of a frame.
    for f in &report.findings {
        if let Some(w) = &f.waiver {
            out.push_str(&format!(
                "waived[{}]: {}:{}:{}: {} ({} {}:{}, {})\n",
                f.rule,
                f.file,
                f.location.line,
                f.location.column,
                f.message,
                w.by,
                w.file,
                w.line,
                w.describe()
            ));
        }
    }
    for n in &report.notices {
        out.push_str(&format!(
            "warning[{}]: {}:{}:{}: {}\n",
            n.code, n.file, n.line, n.column, n.message
        ));
    }
    for e in &report.errors {
        renderer.render(Frame::for_error(e), &mut out);
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `3 files, 7 documents: 2 failures, 1 warning, 0 errors` (and `, 1 waived` when some are).
pub fn summary(report: &Report) -> String {
    let tally = report.tally();
    let waived = if tally.waived > 0 {
        format!(", {} waived", tally.waived)
    } else {
        String::new()
    };
    format!(
        "{}, {}: {}, {}, {}{waived}",
        plural(report.files, "file"),
        plural(report.documents, "document"),
        plural(tally.failures, "failure"),
        plural(tally.warnings, "warning"),
        plural(report.errors.len(), "error"),
    )
}
