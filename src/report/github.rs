//! The GitHub Actions format: one workflow command per finding, error and
//! notice (`::error file=...,line=...,col=...,title=RULE::message`), which
//! GitHub shows as annotations on the pull request's diff, then the summary
//! line. Failures are `::error`, warnings and notices `::warning`.

use crate::check::Report;
use crate::engine::Level;
use crate::report::human::summary;

/// Escapes the message of a workflow command (after `::`): `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command (`file=`, `title=`): as
/// [`escape_data`], and also `:` and `,`, which would end the value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation's place and title.
struct Annotation<'a> {
    command: &'static str,
    file: &'a str,
    /// Line, column, end line, end column; each only when known.
    span: [Option<usize>; 4],
    title: &'a str,
    message: String,
}

impl Annotation<'_> {
    fn write(&self, out: &mut String) {
        let mut props = vec![format!("file={}", escape_property(self.file))];
        for (name, value) in ["line", "col", "endLine", "endColumn"]
            .into_iter()
            .zip(self.span)
        {
            if let Some(v) = value {
                props.push(format!("{name}={v}"));
            }
        }
        props.push(format!("title={}", escape_property(self.title)));
        out.push_str(&format!(
            "::{} {}::{}\n",
            self.command,
            props.join(","),
            escape_data(&self.message)
        ));
    }
}

/// Renders the report as workflow commands.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let mut message = f.message.clone();
        // A plan finding whose resource is known in the `.tf` sources is
        // annotated there: annotations only show on files of the repository.
        let (file, l) = match &f.source {
            Some(source) => {
                message.push_str(&format!(
                    "\n(in the plan at {}:{}:{})",
                    f.file, f.location.line, f.location.column
                ));
                (source.file.as_str(), source.location)
            }
            None => (f.file.as_str(), f.location),
        };
        if let Some(fix) = &f.remediation {
            message.push_str(&format!("\nRemediation: {fix}"));
        }
        if let Some(w) = &f.waiver {
            message.push_str(&format!("\nWaived ({}): {}", w.by, w.describe()));
        }
        Annotation {
            // A waived finding must not look like something to fix in this change.
            command: match (f.waiver.is_some(), f.level) {
                (true, _) => "notice",
                (false, Level::Failure) => "error",
                (false, Level::Warning) => "warning",
            },
            file,
            span: [
                Some(l.line),
                Some(l.column),
                Some(l.end_line),
                Some(l.end_column),
            ],
            title: &f.rule,
            message,
        }
        .write(&mut out);
    }
    for n in &report.notices {
        Annotation {
            command: "warning",
            file: &n.file,
            span: [Some(n.line), Some(n.column), None, None],
            title: n.code,
            message: n.message.clone(),
        }
        .write(&mut out);
    }
    for e in &report.errors {
        Annotation {
            command: "error",
            file: &e.file,
            span: [e.line, e.line.and(e.column), None, None],
            title: e.code,
            message: e.message.clone(),
        }
        .write(&mut out);
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100% done"), "100%25 done");
        assert_eq!(escape_data("a\r\nb\nc"), "a%0D%0Ab%0Ac");
        assert_eq!(escape_data("key: a, b"), "key: a, b");
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data(""), "");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\dir,x.yaml"), "C%3A\\dir%2Cx.yaml");
        assert_eq!(escape_property("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("K8S-POD-001"), "K8S-POD-001");
    }

    #[test]
    fn escaping_is_not_applied_twice() {
        // `%` is escaped first, so the `%` of the escapes that follow stays as is.
        assert_eq!(escape_property(":%"), "%3A%25");
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn an_annotation_has_its_place_title_and_escaped_message() {
        let mut out = String::new();
        Annotation {
            command: "error",
            file: "deploy/a,b.yaml",
            span: [Some(3), Some(5), Some(3), Some(9)],
            title: "RULE:1",
            message: "line one\nline two: 50%".into(),
        }
        .write(&mut out);
        assert_eq!(
            out,
            "::error file=deploy/a%2Cb.yaml,line=3,col=5,endLine=3,endColumn=9,title=RULE%3A1::line one%0Aline two: 50%25\n"
        );
    }

    #[test]
    fn unknown_positions_are_left_out() {
        let mut out = String::new();
        Annotation {
            command: "warning",
            file: "x.yaml",
            span: [None, None, None, None],
            title: "input-not-found",
            message: "no such file".into(),
        }
        .write(&mut out);
        assert_eq!(
            out,
            "::warning file=x.yaml,title=input-not-found::no such file\n"
        );
    }
}
