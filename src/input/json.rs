//! The JSON reader: serde_json reads the value, then a small scanner walks the
//! same text to record where every key and value sits. The scanner only runs on
//! text serde_json accepted, so it can be simple; its recursion is bounded by
//! serde_json's own nesting limit.

use std::collections::HashSet;
use std::sync::Arc;

use super::{
    detect_json, escape_token, expand_lists, Document, Format, InputError, Limits, Loaded, NodePos,
    Notice, Positions,
};
use crate::source::{SourceFile, Span};

/// Reads a JSON file as one document. A file that is not strict JSON is
/// retried with the lenient reader that ARM templates need (comments, raw
/// newlines in strings), and kept only when it is an ARM template.
pub(super) fn load(source: &Arc<SourceFile>, _limits: Limits) -> Result<Loaded, InputError> {
    let text = source.text();
    if text.trim().is_empty() {
        return Ok(Loaded::default());
    }
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let strict = strict_error(source, &e);
            if strict.code != "nesting-too-deep" {
                if let Some(loaded) = super::arm::load_lenient(source) {
                    return Ok(loaded);
                }
            }
            return Err(strict);
        }
    };
    let mut scanner = Scanner {
        text: text.as_bytes(),
        at: 0,
        positions: Positions::default(),
        notices: Vec::new(),
    };
    let mut pointer = String::new();
    scanner.skip_ws();
    let span = scanner.value(&mut pointer, None);
    let format = detect_json(&value, Format::Json);
    Ok(finish(
        source,
        value,
        format,
        scanner.positions,
        span,
        scanner.notices,
    ))
}

fn strict_error(source: &SourceFile, e: &serde_json::Error) -> InputError {
    let at = source.offset_of(e.line(), e.column());
    if e.to_string().starts_with("recursion limit exceeded") {
        return InputError::new(
            "nesting-too-deep",
            "document nests deeper than 128 levels; this is not a realistic configuration",
            Some(Span::new(at, at)),
        );
    }
    let code = if e.is_eof() {
        "json-truncated"
    } else {
        "json-parse-error"
    };
    let message = e.to_string();
    // serde_json appends " at line L column C"; the span carries that already.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m);
    InputError::new(
        code,
        format!("invalid JSON: {message}"),
        Some(Span::new(at, at)),
    )
}

/// Turns a parsed JSON value and its positions into the file's documents, with
/// the notices that belong to its format (a Terraform plan's format version).
pub(super) fn finish(
    source: &Arc<SourceFile>,
    value: serde_json::Value,
    format: Format,
    positions: Positions,
    span: Span,
    mut notices: Vec<Notice>,
) -> Loaded {
    if format == Format::TerraformPlan {
        notices.extend(super::terraform::format_version_notice(
            &value, &positions, span,
        ));
    }
    let mut loaded = Loaded {
        documents: Vec::new(),
        notices,
    };
    expand_lists(
        Document {
            source: source.clone(),
            index: 1,
            format,
            value,
            positions: Arc::new(positions),
            base: String::new(),
            span,
        },
        &mut loaded.documents,
    );
    loaded
}

struct Scanner<'t> {
    text: &'t [u8],
    at: usize,
    positions: Positions,
    notices: Vec<Notice>,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while let Some(b) = self.text.get(self.at) {
            if b.is_ascii_whitespace() {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Scans one value starting at the cursor, records it under `pointer`, returns its span.
    fn value(&mut self, pointer: &mut String, key: Option<Span>) -> Span {
        let start = self.at;
        let scalar = match self.peek() {
            Some(b'{') => {
                self.object(pointer);
                false
            }
            Some(b'[') => {
                self.array(pointer);
                false
            }
            Some(b'"') => {
                self.string();
                true
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.at += 1;
                }
                true
            }
        };
        let span = Span::new(start, self.at);
        self.positions
            .insert(pointer, NodePos { key, value: span }, scalar);
        span
    }

    /// Skips a string literal; returns its raw contents (without quotes).
    fn string(&mut self) -> Span {
        self.at += 1;
        let start = self.at;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        let end = self.at.min(self.text.len());
        self.at += 1;
        Span::new(start, end)
    }

    fn object(&mut self, pointer: &mut String) {
        self.at += 1;
        let len = pointer.len();
        let mut seen = HashSet::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                _ => {
                    self.at += 1;
                    return;
                }
            }
            let key_start = self.at;
            let raw = self.string();
            let key_span = Span::new(key_start, self.at);
            let raw_text = std::str::from_utf8(&self.text[raw.start..raw.end]).unwrap_or("");
            let key: String = if raw_text.contains('\\') {
                serde_json::from_str(&format!("\"{raw_text}\"")).unwrap_or_default()
            } else {
                raw_text.to_owned()
            };
            self.skip_ws();
            self.at += 1; // ':'
            self.skip_ws();
            pointer.push('/');
            escape_token(&key, pointer);
            self.value(pointer, Some(key_span));
            pointer.truncate(len);
            if !seen.insert(key.clone()) {
                self.notices.push(Notice {
                    code: "duplicate-key",
                    message: format!("duplicate key \"{key}\": the last value is used"),
                    span: key_span,
                });
            }
        }
    }

    fn array(&mut self, pointer: &mut String) {
        self.at += 1;
        let len = pointer.len();
        let mut index = 0usize;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') | None => {
                    self.at += 1;
                    return;
                }
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                _ => {}
            }
            pointer.push('/');
            pointer.push_str(&index.to_string());
            self.value(pointer, None);
            pointer.truncate(len);
            index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::PathSegment;
    use serde_json::json;

    #[test]
    fn positions_of_keys_values_and_escaped_keys() {
        let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"x\", \"a\\\"b\": 1},\n  \"spec\": {\"containers\": [{\"image\": \"nginx\"}]}\n}\n";
        let loaded = load(&SourceFile::new("p.json", text), Limits::default()).unwrap();
        let doc = &loaded.documents[0];
        assert_eq!(doc.format, Format::Kubernetes);
        let path = PathSegment::parse_path(&json!(["spec", "containers", 0, "image"])).unwrap();
        let (span, exact) = doc.locate(Some(&path));
        assert!(exact);
        assert_eq!(&text[span.start..span.end], "\"image\": \"nginx\"");
        let quoted = PathSegment::parse_path(&json!(["metadata", "a\"b"])).unwrap();
        assert!(doc.locate(Some(&quoted)).1);
    }

    #[test]
    fn truncated_json_is_an_error_with_a_position() {
        let err = load(
            &SourceFile::new("p.json", "{\"a\": [1, 2"),
            Limits::default(),
        )
        .unwrap_err();
        assert_eq!(err.code, "json-truncated");
        assert!(err.span.is_some());
    }
}
