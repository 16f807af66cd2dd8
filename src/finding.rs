//! Findings and input errors as reporters see them: rule, level, message and a
//! location resolved from the document's positions, with the source lines
//! around it kept so that a code frame can be drawn without the whole file.

use std::sync::Arc;

use serde::Serialize;

use crate::engine::{Hit, Level, Severity};
use crate::input::{Document, PathSegment, Resource};
use crate::source::{SourceFile, Span};
use crate::waiver::Waived;

/// Line and column range of a finding (1-based, end inclusive of its last character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Location {
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just after the last character.
    pub end_column: usize,
}

/// The lines of source around a location, for code frames.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// 1-based number of the first line in `text`.
    pub first_line: usize,
    /// The lines, joined with `\n`.
    pub text: String,
    /// Byte range of the highlighted part within `text`.
    pub highlight: (usize, usize),
}

const CONTEXT_LINES: usize = 1;
const MAX_SNIPPET_BYTES: usize = 4096;

impl Snippet {
    /// The lines around `span`, or `None` when they are too long to show (minified JSON).
    pub fn around(source: &SourceFile, span: Span) -> Option<Snippet> {
        let start = source.line_col(span.start);
        let end = source.line_col(span.end);
        let first_line = start.line.saturating_sub(CONTEXT_LINES).max(1);
        let last_line = (end.line + CONTEXT_LINES).min(source.line_count().max(1));
        let first = source.line_range(first_line)?;
        let last = source.line_range(last_line).unwrap_or(first.clone());
        if last.end.saturating_sub(first.start) > MAX_SNIPPET_BYTES {
            return None;
        }
        let text = source.text()[first.start..last.end].replace('\r', "");
        // Offsets shift by the carriage returns removed before them.
        let crs_before = |offset: usize| {
            source.text()[first.start..offset.clamp(first.start, last.end)]
                .matches('\r')
                .count()
        };
        let hl_start =
            span.start.clamp(first.start, last.end) - first.start - crs_before(span.start);
        let hl_end = span.end.clamp(first.start, last.end) - first.start - crs_before(span.end);
        Some(Snippet {
            first_line,
            text,
            highlight: (hl_start, hl_end.max(hl_start)),
        })
    }
}

/// Turns a span into a [`Location`].
pub fn location(source: &SourceFile, span: Span) -> Location {
    let start = source.line_col(span.start);
    let end = source.line_col(span.end);
    Location {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// A second place a finding points at, in another file: the `.tf` block of a
/// Terraform plan resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// The file.
    pub file: String,
    /// Where in it.
    #[serde(flatten)]
    pub location: Location,
}

impl SourceRef {
    /// The place `span` covers in `source`.
    pub fn new(source: &SourceFile, span: Span) -> Self {
        SourceRef {
            file: source.name().to_owned(),
            location: location(source, span),
        }
    }
}

/// One rule's complaint about one document.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Failure or warning.
    pub level: Level,
    /// Stable rule id.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// The rule's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// The file.
    pub file: String,
    /// Where in the file.
    #[serde(flatten)]
    pub location: Location,
    /// 1-based document index in the file.
    pub document: usize,
    /// JSON pointer of the offending field, when the rule gave a path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The resource.
    pub resource: Resource,
    /// For a Terraform plan finding, where the resource's block (or the
    /// attribute) is in the `.tf` sources, when they are available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// The Rego package that produced it.
    pub policy: String,
    /// Extra data the rule attached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// The waiver that accepts it: reported, but it does not fail the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Arc<Waived>>,
    /// Source lines for code frames.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
}

impl Finding {
    /// Builds a finding from a rule's output on a document; `snippet` keeps the
    /// source lines for a code frame (only the human format needs them).
    pub fn new(hit: &Hit, doc: &Document, snippet: bool) -> Finding {
        let rule = &hit.rule;
        let out = &hit.output;
        let (span, _exact) = doc.locate(out.path.as_deref());
        let default_severity = match rule.level {
            Level::Failure => Severity::Medium,
            Level::Warning => Severity::Low,
        };
        Finding {
            level: rule.level,
            rule: out.id.clone().unwrap_or_else(|| rule.id()),
            severity: out
                .severity
                .or(rule.meta.severity)
                .unwrap_or(default_severity),
            title: rule.meta.title.clone(),
            message: out.message.clone(),
            remediation: rule.meta.remediation.clone(),
            file: doc.source.name().to_owned(),
            location: location(&doc.source, span),
            document: doc.index,
            path: out.path.as_deref().map(PathSegment::to_pointer),
            resource: doc.resource_at(out.path.as_deref()),
            source: None,
            policy: rule.package.clone(),
            details: out.details.clone(),
            waiver: None,
            snippet: if snippet {
                Snippet::around(&doc.source, span)
            } else {
                None
            },
        }
    }

    /// Whether it counts against the run: not waived.
    pub fn counts(&self) -> bool {
        self.waiver.is_none()
    }

    /// The order reports use: file, line, column, rule, message.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.file,
            self.location.line,
            self.location.column,
            &self.rule,
            &self.message,
        )
    }
}

/// Something that prevented a complete check of an input.
#[derive(Debug, Clone, Serialize)]
pub struct CheckError {
    /// The file (or policy) concerned.
    pub file: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Stable kebab-case code.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
    /// Source lines for code frames.
    #[serde(skip)]
    pub snippet: Option<Box<Snippet>>,
}

impl CheckError {
    /// An error about a whole file.
    pub fn file(file: &str, code: &'static str, message: impl Into<String>) -> Self {
        CheckError {
            file: file.to_owned(),
            line: None,
            column: None,
            code,
            message: message.into(),
            snippet: None,
        }
    }

    /// An error at a place in a file.
    pub fn at(
        source: &SourceFile,
        span: Span,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        let at = source.line_col(span.start);
        CheckError {
            file: source.name().to_owned(),
            line: Some(at.line),
            column: Some(at.column),
            code,
            message: message.into(),
            snippet: Snippet::around(source, span).map(Box::new),
        }
    }

    /// Sort order: file, line, column, code.
    pub fn sort_key(&self) -> (&str, Option<usize>, Option<usize>, &str) {
        (&self.file, self.line, self.column, self.code)
    }
}

/// A warning about an input that does not stop its check (e.g. a duplicate key).
#[derive(Debug, Clone, Serialize)]
pub struct InputNotice {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Stable kebab-case code.
    pub code: &'static str,
    /// What was noticed.
    pub message: String,
}
