//! Terraform `.tf` files: HCL parsed with hcl-edit (the parser of the hcl-rs
//! project, which keeps the byte span of every block, attribute and
//! expression), turned into the JSON shape of Conftest's `hcl2` parser, with
//! the position of every key and value.
//!
//! The shape: a block becomes nested objects keyed by its type and labels,
//! ending in an array of bodies (`resource "aws_s3_bucket" "logs" {...}` is
//! `{"resource": {"aws_s3_bucket": {"logs": [{...}]}}}`; `terraform {...}` is
//! `{"terraform": [{...}]}`); nested blocks are arrays of bodies; literal
//! values are JSON values; a string template keeps its text with each
//! interpolation written `${...}`; any other expression (a reference, a
//! function call, a conditional, a `for`) becomes the string `"${<its source
//! text>}"`. Policies can tell such values apart: they are not known until
//! Terraform evaluates them.

use std::collections::HashMap;
use std::sync::Arc;

use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, Template};
use serde_json::{Map, Number, Value};

use super::{escape_token, Document, Format, InputError, Limits, Loaded, NodePos, Positions};
use crate::source::{SourceFile, Span};

/// Reads a `.tf` file as one document.
///
/// hcl-edit rejects an object constructor that repeats a key
/// (`{a = 1, a = 2}`), which Terraform accepts (the last value wins). Such a
/// key is renamed in a working copy to a placeholder of the same length and
/// the text parsed again; the conversion puts the real name back, so the last
/// value wins, and a `duplicate-key` notice says where.
pub(super) fn load(source: &Arc<SourceFile>, _limits: Limits) -> Result<Loaded, InputError> {
    let text = source.text();
    let mut working = std::borrow::Cow::Borrowed(text);
    let mut renamed = HashMap::new();
    let mut notices = Vec::new();
    let body = loop {
        match hcl_edit::parser::parse_body(&working) {
            Ok(body) => break body,
            Err(e) => {
                let at = e.location().offset().min(text.len());
                let error = InputError::new(
                    "hcl-parse-error",
                    format!("invalid HCL: {}", one_line(e.message())),
                    Some(Span::new(at, at)),
                );
                if !e.message().contains("redefined object key") || renamed.len() >= 1000 {
                    return Err(error);
                }
                let Some((name, range)) = rename_key(working.to_mut(), at) else {
                    return Err(error);
                };
                notices.push(super::Notice {
                    code: "duplicate-key",
                    message: format!("duplicate key \"{name}\": the last value is used"),
                    span: Span::new(range.start, range.end),
                });
                renamed.insert(range.start, name);
            }
        }
    };
    let mut converter = Converter {
        text: &working,
        positions: Positions::default(),
        renamed,
    };
    let whole = Span::new(0, text.len());
    converter.positions.insert(
        "",
        NodePos {
            key: None,
            value: Span::new(0, 0),
        },
        false,
    );
    let mut pointer = String::new();
    let value = Value::Object(converter.body(&body, &mut pointer));
    Ok(Loaded {
        documents: vec![Document {
            source: source.clone(),
            index: 1,
            format: Format::TerraformHcl,
            value,
            positions: Arc::new(converter.positions),
            base: String::new(),
            span: whole,
        }],
        notices,
    })
}

/// Replaces the object key at `at` (an identifier or a quoted string) with a
/// placeholder of the same length that occurs nowhere in the text; returns the
/// key's name and the byte range of the placeholder.
fn rename_key(text: &mut String, at: usize) -> Option<(String, std::ops::Range<usize>)> {
    let rest = text.get(at..)?;
    let (start, len) = if let Some(quoted) = rest.strip_prefix('"') {
        (at + 1, quoted.find('"')?)
    } else {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (at, len)
    };
    if len == 0 {
        return None;
    }
    let name = text.get(start..start + len)?.to_owned();
    let placeholder = (0u64..)
        .take(100_000)
        .map(|n| {
            let mut p = format!("z{n:0>width$}", width = len.saturating_sub(1));
            p.truncate(len);
            p
        })
        .find(|p| p.len() == len && !text.contains(p.as_str()))?;
    text.replace_range(start..start + len, &placeholder);
    Some((name, start..start + len))
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Converter<'t> {
    text: &'t str,
    positions: Positions,
    /// Object keys renamed to parse (start byte -> real name).
    renamed: HashMap<usize, String>,
}

fn span_of(item: &impl hcl_edit::Span) -> Option<Span> {
    item.span().map(|r| Span::new(r.start, r.end))
}

impl Converter<'_> {
    fn source_text(&self, span: Option<Span>) -> &str {
        span.and_then(|s| self.text.get(s.start..s.end))
            .unwrap_or("")
            .trim()
    }

    fn body(&mut self, body: &Body, pointer: &mut String) -> Map<String, Value> {
        let mut map = Map::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let len = pointer.len();
                    let key = attr.key.as_str().to_owned();
                    pointer.push('/');
                    escape_token(&key, pointer);
                    let value = self.expr(&attr.value, pointer, span_of(&attr.key));
                    pointer.truncate(len);
                    map.insert(key, value);
                }
                Structure::Block(block) => self.block(block, &mut map, pointer),
            }
        }
        map
    }

    /// Adds a block's body under its type and labels; the positions of the
    /// type, each label and the body all point at the block's header.
    fn block(&mut self, block: &Block, map: &mut Map<String, Value>, pointer: &mut String) {
        let ident = block.ident.as_str().to_owned();
        let labels: Vec<String> = block.labels.iter().map(|l| l.as_str().to_owned()).collect();
        let header_end = block
            .labels
            .last()
            .and_then(span_of)
            .or_else(|| span_of(&block.ident))
            .map_or(0, |s| s.end);
        let header_start = span_of(block)
            .or_else(|| span_of(&block.ident))
            .map_or(0, |s| s.start);
        let header = NodePos {
            key: None,
            value: Span::new(header_start, header_end.max(header_start)),
        };
        let len = pointer.len();
        let mut keys = vec![ident];
        keys.extend(labels);
        let Some(index) = slot(map, &keys).map(|bodies| bodies.len()) else {
            // The same name used for an attribute and a block, or blocks with
            // different numbers of labels: keep the first shape.
            return;
        };
        for key in &keys {
            pointer.push('/');
            escape_token(key, pointer);
            if !self.positions.contains(pointer) {
                self.positions.insert(pointer, header, false);
            }
        }
        pointer.push('/');
        pointer.push_str(&index.to_string());
        self.positions.insert(pointer, header, false);
        let body = Value::Object(self.body(&block.body, pointer));
        pointer.truncate(len);
        if let Some(bodies) = slot(map, &keys) {
            bodies.push(body);
        }
    }

    fn expr(&mut self, expr: &Expression, pointer: &mut String, key: Option<Span>) -> Value {
        let span = span_of(expr);
        let mut scalar = true;
        let value = match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => {
                scalar = false;
                let len = pointer.len();
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    out.push(self.expr(item, pointer, None));
                    pointer.truncate(len);
                }
                Value::Array(out)
            }
            Expression::Object(object) => {
                scalar = false;
                let len = pointer.len();
                let mut out = Map::new();
                for (k, v) in object.iter() {
                    let real = span_of(k).and_then(|s| {
                        self.renamed
                            .get(&s.start)
                            .or_else(|| self.renamed.get(&(s.start + 1)))
                    });
                    let name = match k {
                        _ if real.is_some() => real.cloned().unwrap_or_default(),
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(other) => {
                            format!("${{{}}}", self.source_text(span_of(other)))
                        }
                    };
                    pointer.push('/');
                    escape_token(&name, pointer);
                    let value = self.expr(v.expr(), pointer, span_of(k));
                    pointer.truncate(len);
                    out.insert(name, value);
                }
                Value::Object(out)
            }
            Expression::StringTemplate(template) => Value::String(self.template(template)),
            Expression::HeredocTemplate(heredoc) => Value::String(self.template(&heredoc.template)),
            // `-1` is a negated literal, not an expression to evaluate.
            Expression::UnaryOp(op)
                if *op.operator.value() == UnaryOperator::Neg
                    && matches!(op.expr, Expression::Number(_)) =>
            {
                match &op.expr {
                    Expression::Number(n) => negate(number(n.value())),
                    _ => Value::Null,
                }
            }
            other => Value::String(format!("${{{}}}", self.source_text(span_of(other)))),
        };
        let value_span = span.or(key).unwrap_or_default();
        self.positions.insert(
            pointer,
            NodePos {
                key,
                value: value_span,
            },
            scalar,
        );
        value
    }

    /// A template's text: literals as they are, interpolations as `${...}`
    /// around their source, directives (`%{ if }`) as their source.
    fn template(&self, template: &Template) -> String {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    out.push_str("${");
                    out.push_str(self.source_text(span_of(&interpolation.expr)));
                    out.push('}');
                }
                Element::Directive(directive) => {
                    out.push_str(self.source_text(span_of(directive.as_ref())));
                }
            }
        }
        out
    }
}

/// The array of bodies for a block's type and labels, creating the nested
/// objects on the way; `None` when something else already sits there.
fn slot<'m>(map: &'m mut Map<String, Value>, keys: &[String]) -> Option<&'m mut Vec<Value>> {
    let (last, parents) = keys.split_last()?;
    let mut current = map;
    for key in parents {
        current = current
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()?;
    }
    current
        .entry(last.clone())
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
}

fn number(n: &hcl_edit::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Value::Number(u.into())
    } else {
        n.as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

fn negate(value: Value) -> Value {
    match value.as_number() {
        Some(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number((-i).into())
            } else {
                n.as_f64()
                    .and_then(|f| Number::from_f64(-f))
                    .map_or(Value::Null, Value::Number)
            }
        }
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::PathSegment;
    use serde_json::json;

    fn load_str(text: &str) -> Result<Loaded, InputError> {
        load(&SourceFile::new("main.tf", text), Limits::default())
    }

    #[test]
    fn conftest_hcl2_shape() {
        let text = r#"
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.env}"
  acl    = "public-read"
  count  = -1
  tags = {
    Name = "x"
  }
  versioning {
    enabled = true
  }
  policy = data.aws_iam_policy_document.p.json
}
terraform {
  required_version = ">= 1.0"
}
resource "aws_s3_bucket" "other" {}
"#;
        let loaded = load_str(text).unwrap();
        let v = &loaded.documents[0].value;
        assert_eq!(
            v["resource"]["aws_s3_bucket"]["logs"],
            json!([{
                "bucket": "logs-${var.env}",
                "acl": "public-read",
                "count": -1,
                "tags": {"Name": "x"},
                "versioning": [{"enabled": true}],
                "policy": "${data.aws_iam_policy_document.p.json}"
            }])
        );
        assert_eq!(v["terraform"], json!([{"required_version": ">= 1.0"}]));
        assert_eq!(v["resource"]["aws_s3_bucket"]["other"], json!([{}]));
    }

    #[test]
    fn positions_of_blocks_and_attributes() {
        let text = "resource \"aws_s3_bucket\" \"logs\" {\n  acl = \"public-read\"\n  versioning {\n    enabled = false\n  }\n}\n";
        let loaded = load_str(text).unwrap();
        let doc = &loaded.documents[0];
        let at = |path: serde_json::Value| {
            let path = PathSegment::parse_path(&path).unwrap();
            let (span, _) = doc.locate(Some(&path));
            text[span.start..span.end].to_owned()
        };
        assert_eq!(
            at(json!(["resource", "aws_s3_bucket", "logs", 0, "acl"])),
            "acl = \"public-read\""
        );
        assert_eq!(
            at(json!([
                "resource",
                "aws_s3_bucket",
                "logs",
                0,
                "versioning",
                0,
                "enabled"
            ])),
            "enabled = false"
        );
        assert_eq!(
            at(json!(["resource", "aws_s3_bucket", "logs", 0, "missing"])),
            "resource \"aws_s3_bucket\" \"logs\""
        );
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = load_str("resource \"a\" \"b\" {\n  acl = \n}\n").unwrap_err();
        assert_eq!(err.code, "hcl-parse-error");
        assert!(err.span.is_some());
    }
}
