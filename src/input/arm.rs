//! Azure Resource Manager (ARM) templates: detection by `$schema`, the lenient
//! JSON that Azure accepts (`//` and `/* */` comments, raw line breaks inside
//! strings), and the identity (type and name) of the resource a finding is about.
//!
//! The lenient reader only runs on text that strict JSON rejected, and its
//! result is only kept when it is an ARM template: other JSON stays strict.
//! Comments are skipped in place, so every span still points into the
//! original text.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{detect_json, escape_token, Format, InputError, Loaded, NodePos, Notice, Positions};
use super::{PathSegment, Resource};
use crate::source::{SourceFile, Span};

/// Deepest nesting the lenient reader accepts (the same as serde_json's limit).
const MAX_DEPTH: usize = 128;

/// Whether a `$schema` names a deployment template (resource group, subscription,
/// management group or tenant), in any case.
pub(crate) fn is_template_schema(schema: &str) -> bool {
    schema.to_ascii_lowercase().contains("deploymenttemplate")
}

/// Reads a file that strict JSON rejected as an ARM template; `None` when it is
/// not lenient JSON either, or not an ARM template.
pub(super) fn load_lenient(source: &Arc<SourceFile>) -> Option<Loaded> {
    let (value, positions, span, notices) = parse_lenient(source.text()).ok()?;
    if detect_json(&value, Format::Json) != Format::Arm {
        return None;
    }
    Some(super::json::finish(
        source,
        value,
        Format::Arm,
        positions,
        span,
        notices,
    ))
}

type Parsed = (Value, Positions, Span, Vec<Notice>);

/// Parses JSON with comments and raw control characters inside strings,
/// recording positions as the strict reader does.
pub(crate) fn parse_lenient(text: &str) -> Result<Parsed, InputError> {
    let mut parser = Lenient {
        text: text.as_bytes(),
        at: 0,
        depth: 0,
        positions: Positions::default(),
        notices: Vec::new(),
    };
    parser.skip_trivia()?;
    let mut pointer = String::new();
    let (value, span) = parser.value(&mut pointer, None)?;
    parser.skip_trivia()?;
    if parser.at < parser.text.len() {
        return Err(parser.error("trailing characters after the JSON value"));
    }
    Ok((value, parser.positions, span, parser.notices))
}

struct Lenient<'t> {
    text: &'t [u8],
    at: usize,
    depth: usize,
    positions: Positions,
    notices: Vec<Notice>,
}

impl Lenient<'_> {
    fn error(&self, what: &str) -> InputError {
        let code = if self.at >= self.text.len() {
            "json-truncated"
        } else {
            "json-parse-error"
        };
        InputError::new(
            code,
            format!("invalid JSON: {what}"),
            Some(Span::new(self.at, self.at)),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), InputError> {
        loop {
            match self.peek() {
                Some(b) if b.is_ascii_whitespace() => self.at += 1,
                Some(b'/') if self.text.get(self.at + 1) == Some(&b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.at += 1;
                    }
                }
                Some(b'/') if self.text.get(self.at + 1) == Some(&b'*') => {
                    let start = self.at;
                    self.at += 2;
                    loop {
                        match self.peek() {
                            None => {
                                self.at = start;
                                return Err(self.error("unterminated /* comment"));
                            }
                            Some(b'*') if self.text.get(self.at + 1) == Some(&b'/') => {
                                self.at += 2;
                                break;
                            }
                            Some(_) => self.at += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(
        &mut self,
        pointer: &mut String,
        key: Option<Span>,
    ) -> Result<(Value, Span), InputError> {
        let start = self.at;
        let (value, scalar) = match self.peek() {
            Some(b'{') => (self.object(pointer)?, false),
            Some(b'[') => (self.array(pointer)?, false),
            Some(b'"') => (Value::String(self.string()?), true),
            Some(b't' | b'f' | b'n' | b'-' | b'0'..=b'9') => (self.literal()?, true),
            Some(_) => return Err(self.error("expected a value")),
            None => return Err(self.error("unexpected end of input")),
        };
        let span = Span::new(start, self.at);
        self.positions
            .insert(pointer, NodePos { key, value: span }, scalar);
        Ok((value, span))
    }

    fn literal(&mut self) -> Result<Value, InputError> {
        let start = self.at;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.') {
                self.at += 1;
            } else {
                break;
            }
        }
        let token = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
        match token {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "null" => Ok(Value::Null),
            _ => match serde_json::from_str::<Value>(token) {
                Ok(n @ Value::Number(_)) => Ok(n),
                _ => {
                    self.at = start;
                    Err(self.error(&format!("unexpected token `{token}`")))
                }
            },
        }
    }

    /// Reads a string literal; raw control characters (line breaks) are kept as they are.
    fn string(&mut self) -> Result<String, InputError> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut run_start = self.at;
        loop {
            match self.peek() {
                None => {
                    self.at = open;
                    return Err(InputError::new(
                        "json-truncated",
                        "invalid JSON: unterminated string",
                        Some(Span::new(open, open)),
                    ));
                }
                Some(b'"') => {
                    out.push_str(&String::from_utf8_lossy(&self.text[run_start..self.at]));
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&String::from_utf8_lossy(&self.text[run_start..self.at]));
                    self.escape(&mut out)?;
                    run_start = self.at;
                }
                Some(_) => self.at += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), InputError> {
        self.at += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let first = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&first)
                    && self.text.get(self.at) == Some(&b'\\')
                    && self.text.get(self.at + 1) == Some(&b'u')
                {
                    self.at += 2;
                    let second = self.hex4()?;
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00));
                    char::from_u32(code).unwrap_or('\u{FFFD}')
                } else {
                    char::from_u32(first).unwrap_or('\u{FFFD}')
                };
                out.push(c);
                return Ok(());
            }
            _ => return Err(self.error("invalid escape in string")),
        };
        out.push(c);
        self.at += 1;
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, InputError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.at += 4;
        Ok(digits)
    }

    fn enter(&mut self) -> Result<(), InputError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(InputError::new(
                "nesting-too-deep",
                "document nests deeper than 128 levels; this is not a realistic configuration",
                Some(Span::new(self.at, self.at)),
            ));
        }
        Ok(())
    }

    fn object(&mut self, pointer: &mut String) -> Result<Value, InputError> {
        self.enter()?;
        self.at += 1;
        let len = pointer.len();
        let mut map = Map::new();
        let mut seen = HashSet::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') if map.is_empty() => {
                    self.at += 1;
                    break;
                }
                Some(b'"') => {}
                _ => return Err(self.error("expected a property name in double quotes")),
            }
            let key_start = self.at;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.at);
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after a property name"));
            }
            self.at += 1;
            self.skip_trivia()?;
            pointer.push('/');
            escape_token(&key, pointer);
            let (value, _) = self.value(pointer, Some(key_span))?;
            pointer.truncate(len);
            if !seen.insert(key.clone()) {
                self.notices.push(Notice {
                    code: "duplicate-key",
                    message: format!("duplicate key \"{key}\": the last value is used"),
                    span: key_span,
                });
            }
            map.insert(key, value);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
        self.depth -= 1;
        Ok(Value::Object(map))
    }

    fn array(&mut self, pointer: &mut String) -> Result<Value, InputError> {
        self.enter()?;
        self.at += 1;
        let len = pointer.len();
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') && items.is_empty() {
                self.at += 1;
                break;
            }
            pointer.push('/');
            pointer.push_str(&items.len().to_string());
            let (value, _) = self.value(pointer, None)?;
            pointer.truncate(len);
            items.push(value);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }
}

/// The ARM resource a path leads into: the deepest object reached through a
/// `resources` array (or, in languageVersion 2.0, a `resources` object keyed by
/// symbolic name) that has a `type`. A child resource's relative type
/// (`firewallRules` under `Microsoft.Sql/servers`) is made absolute; resources of
/// a nested deployment's inline template start afresh.
pub(super) fn resource(value: &Value, path: &[PathSegment]) -> Resource {
    let mut node = value;
    let mut found: Option<(String, Option<String>, usize)> = None;
    for (i, segment) in path.iter().enumerate() {
        let next = match (segment, node) {
            (PathSegment::Key(k), Value::Object(map)) => map.get(k),
            (PathSegment::Index(n), Value::Array(items)) => items.get(*n),
            (PathSegment::Index(n), Value::Object(map)) => map.get(&n.to_string()),
            _ => None,
        };
        let Some(next) = next else { break };
        node = next;
        let through_resources = i >= 1 && path[i - 1] == PathSegment::Key("resources".into());
        if !through_resources {
            continue;
        }
        let Some(kind) = node.get("type").and_then(Value::as_str) else {
            continue;
        };
        let name = node.get("name").and_then(Value::as_str).map(str::to_owned);
        // A child: its `resources` key sits directly in the parent resource.
        let full = match &found {
            Some((parent, _, end)) if *end + 1 == i - 1 && !kind.contains('/') => {
                format!("{parent}/{kind}")
            }
            _ => kind.to_owned(),
        };
        found = Some((full, name, i));
    }
    match found {
        Some((kind, name, _)) => Resource {
            name,
            resource_type: Some(kind),
            ..Resource::default()
        },
        None => Resource::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comments_and_raw_newlines_keep_positions() {
        let text = "{\n  // a comment\n  \"$schema\": \"https://x/deploymentTemplate.json#\", /* b */\n  \"v\": \"[concat(\n 'a')]\",\n  \"resources\": [{\"type\": \"T/x\", \"name\": \"n\"}]\n}\n";
        let (value, positions, _, _) = parse_lenient(text).unwrap();
        assert_eq!(value["v"], json!("[concat(\n 'a')]"));
        let (span, exact) = positions
            .locate(
                "",
                &[
                    PathSegment::Key("resources".into()),
                    PathSegment::Index(0),
                    PathSegment::Key("name".into()),
                ],
            )
            .unwrap();
        assert!(exact);
        assert_eq!(&text[span.start..span.end], "\"name\": \"n\"");
    }

    #[test]
    fn placeholders_and_unterminated_comments_are_errors() {
        assert!(parse_lenient("{\"a\": [ management-group ]}").is_err());
        assert!(parse_lenient("{\"a\": 1 /* open").is_err());
        assert!(parse_lenient("{\"a\": {\n ...\n}}").is_err());
        assert_eq!(
            parse_lenient("{\"a\": [1, 2").unwrap_err().code,
            "json-truncated"
        );
    }

    #[test]
    fn schema_detection_ignores_case() {
        assert!(is_template_schema(
            "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"
        ));
        assert!(!is_template_schema(
            "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#"
        ));
    }

    #[test]
    fn child_resources_get_full_types() {
        let doc = json!({"resources": [{"type": "Microsoft.Sql/servers", "name": "s", "resources": [
            {"type": "firewallRules", "name": "all", "properties": {}}
        ]}]});
        let path = PathSegment::parse_path(&json!(["resources", 0, "resources", 0, "properties"]))
            .unwrap();
        let r = resource(&doc, &path);
        assert_eq!(
            r.resource_type.as_deref(),
            Some("Microsoft.Sql/servers/firewallRules")
        );
        assert_eq!(r.name.as_deref(), Some("all"));
    }
}
