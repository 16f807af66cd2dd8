//! Code frames drawn with miette from a [`Snippet`]: the offending line
//! underlined, with the file name and real line numbers, without holding
//! the whole file in memory.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::finding::{CheckError, Snippet};

/// A snippet that miette reads as if it were the whole file.
#[derive(Debug)]
struct SnippetSource {
    name: String,
    snippet: Snippet,
    /// The 1-based character column to show; miette would count bytes.
    column: Option<usize>,
}

impl SourceCode for SnippetSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.snippet.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.snippet.first_line - 1,
            self.column.map_or(inner.column(), |c| c - 1),
            inner.line_count(),
        )))
    }
}

/// Everything one frame shows.
#[derive(Debug)]
pub struct Frame {
    /// The headline.
    pub message: String,
    /// Code shown in the header (rule id or error code).
    pub code: String,
    /// Error (red) or warning (yellow).
    pub severity: miette::Severity,
    /// Text under the underline.
    pub label: Option<String>,
    /// The `help:` line.
    pub help: Option<String>,
    /// File name for the frame.
    pub file: String,
    /// Line and column, shown when there is no snippet to draw.
    pub position: Option<(usize, Option<usize>)>,
    /// The source lines, when available.
    pub snippet: Option<Snippet>,
}

#[derive(Debug)]
struct FrameDiagnostic {
    frame: Frame,
    source: Option<SnippetSource>,
}

impl std::fmt::Display for FrameDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.frame.code, self.frame.message)
    }
}

impl std::error::Error for FrameDiagnostic {}

impl Diagnostic for FrameDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.frame.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.frame
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let snippet = self.source.as_ref()?.snippet.clone();
        let (start, end) = snippet.highlight;
        let span = LabeledSpan::new(self.frame.label.clone(), start, end - start);
        Some(Box::new(std::iter::once(span)))
    }
}

/// Draws frames with one configured handler.
pub struct Renderer {
    handler: GraphicalReportHandler,
}

impl Renderer {
    /// A renderer with or without colour.
    pub fn new(color: bool) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Self {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_context_lines(1)
                .with_width(100),
        }
    }

    /// Renders one frame into `out`.
    pub fn render(&self, frame: Frame, out: &mut String) {
        let source = frame.snippet.clone().map(|snippet| SnippetSource {
            name: frame.file.clone(),
            snippet,
            column: frame.position.and_then(|(_, column)| column),
        });
        let has_source = source.is_some();
        let location_line = (!has_source).then(|| match frame.position {
            Some((line, Some(column))) => format!("  at {}:{line}:{column}\n", frame.file),
            Some((line, None)) => format!("  at {}:{line}\n", frame.file),
            None => format!("  at {}\n", frame.file),
        });
        let diagnostic = FrameDiagnostic { frame, source };
        if self.handler.render_report(out, &diagnostic).is_err() {
            out.push_str(&diagnostic.frame.message);
            out.push('\n');
        }
        if let Some(line) = location_line {
            out.push_str(&line);
        }
        out.push('\n');
    }
}

impl Frame {
    /// The frame for an input or policy error.
    pub fn for_error(e: &CheckError) -> Frame {
        Frame {
            message: e.message.clone(),
            code: e.code.to_owned(),
            severity: miette::Severity::Error,
            label: Some("here".into()),
            help: None,
            file: e.file.clone(),
            position: e.line.map(|l| (l, e.column)),
            snippet: e.snippet.as_deref().cloned(),
        }
    }
}
