//! `strings.render_template`: OPA runs Go's `text/template` over the variables.
//! Railyard supports the part policies use to build messages: field actions
//! `{{.name}}`, `{{.a.b}}` and `{{.}}`, comments `{{/* ... */}}`, and the trim
//! markers `{{- ` and ` -}}`. Any other action (`if`, `range`, pipelines,
//! functions) is an error rather than a silently different output.
//!
//! Values print as Go's `fmt` prints the decoded JSON: arrays `[a b]`, objects
//! `map[k:v]` with sorted keys, a null inside them `<nil>`; a missing or null
//! field prints `<no value>`, which OPA then replaces with `<undefined>`
//! throughout the output.

use anyhow::{bail, Result};
use regorus::Value;

use super::{string_arg, type_name};

/// One piece of a parsed template.
enum Piece<'t> {
    Text(&'t str),
    Field(Field<'t>),
}

/// A field action: the chain of names (empty for `{{.}}`) and where it is, for errors.
struct Field<'t> {
    names: Vec<&'t str>,
    chain: &'t str,
    line: usize,
    column: usize,
}

const SPACE: [char; 4] = [' ', '\t', '\r', '\n'];

pub(super) fn render_template(args: &[Value]) -> Result<Value> {
    let template = string_arg(args, 0)?;
    let vars = match args.get(1) {
        Some(vars @ Value::Object(_)) => vars,
        Some(other) => bail!("operand 2 must be object but got {}", type_name(other)),
        None => bail!("operand 2 is missing"),
    };
    let mut out = String::new();
    for piece in parse(template)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Field(field) => match lookup(vars, &field)? {
                None | Some(Value::Null) => out.push_str("<no value>"),
                Some(value) => print(value, &mut out)?,
            },
        }
    }
    Ok(Value::from(out.replace("<no value>", "<undefined>")))
}

fn parse(template: &str) -> Result<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut trim_next = false;
    while let Some(found) = template[pos..].find("{{") {
        let open = pos + found;
        let mut text = &template[pos..open];
        if trim_next {
            text = text.trim_start_matches(SPACE);
        }
        let mut start = open + 2;
        // Go's left trim marker is a dash followed by white space.
        let rest = &template[start..];
        if rest.starts_with('-') && rest[1..].starts_with(SPACE) {
            text = text.trim_end_matches(SPACE);
            start += 2;
        }
        pieces.push(Piece::Text(text));
        let line = 1 + template[..open].matches('\n').count();
        let (body, end, right_trim) = action_body(template, start, line)?;
        trim_next = right_trim;
        pos = end;
        if body.starts_with("/*") {
            continue;
        }
        pieces.push(Piece::Field(field(template, body, line)?));
    }
    let mut text = &template[pos..];
    if trim_next {
        text = text.trim_start_matches(SPACE);
    }
    pieces.push(Piece::Text(text));
    Ok(pieces)
}

/// The text of the action starting at `start`, where it ends (after `}}`), and
/// whether it ends with a right trim marker.
fn action_body(template: &str, start: usize, line: usize) -> Result<(&str, usize, bool)> {
    let rest = &template[start..];
    // A comment may itself contain `}}`: it ends at `*/`.
    let search_from = if rest.starts_with("/*") {
        match rest.find("*/") {
            Some(i) => i + 2,
            None => bail!("template: template:{line}: unclosed comment"),
        }
    } else {
        0
    };
    let Some(close) = rest[search_from..].find("}}").map(|i| i + search_from) else {
        bail!("template: template:{line}: unclosed action");
    };
    let inner = &rest[..close];
    let right_trim = inner
        .strip_suffix('-')
        .is_some_and(|before| before.ends_with(SPACE));
    let body = if right_trim {
        &inner[..inner.len() - 1]
    } else {
        inner
    };
    Ok((body.trim_matches(SPACE), start + close + 2, right_trim))
}

fn field<'t>(template: &'t str, body: &'t str, line: usize) -> Result<Field<'t>> {
    if body.is_empty() {
        bail!("template: template:{line}: missing value for command");
    }
    let names: Vec<&str> = if body == "." {
        Vec::new()
    } else {
        let Some(chain) = body.strip_prefix('.') else {
            return unsupported(body);
        };
        chain.split('.').collect()
    };
    let is_identifier = |name: &&str| {
        let mut chars = name.chars();
        chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
            && chars.all(|c| c == '_' || c.is_alphanumeric())
    };
    if !names.iter().all(is_identifier) {
        return unsupported(body);
    }
    // Go reports a chain at its last field: the byte column of that field's dot.
    let body_at = body.as_ptr() as usize - template.as_ptr() as usize;
    let last_dot = body_at + body.rfind('.').unwrap_or(0);
    let line_start = template[..last_dot].rfind('\n').map_or(0, |i| i + 1);
    Ok(Field {
        names,
        chain: body,
        line,
        column: last_dot - line_start,
    })
}

fn unsupported<T>(body: &str) -> Result<T> {
    bail!(
        "unsupported template action {{{{{body}}}}}: Railyard renders only {{{{.field}}}}, {{{{.a.b}}}}, {{{{.}}}} and comments"
    )
}

/// The value a field chain names; `None` when a key is missing on the way.
fn lookup<'v>(vars: &'v Value, field: &Field<'_>) -> Result<Option<&'v Value>> {
    let mut current = Some(vars);
    for name in &field.names {
        current = match current {
            None => None,
            Some(Value::Object(object)) => object.get(&Value::from(*name)),
            Some(other) => {
                let problem = if *other == Value::Null {
                    format!("nil pointer evaluating interface {{}}.{name}")
                } else {
                    format!("can't evaluate field {name} in type interface {{}}")
                };
                bail!(
                    "template: template:{}:{}: executing \"template\" at <{}>: {problem}",
                    field.line,
                    field.column,
                    field.chain
                );
            }
        };
    }
    Ok(current)
}

/// Go's `fmt` `%v` of a decoded JSON value.
fn print(value: &Value, out: &mut String) -> Result<()> {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Number(n) => out.push_str(&n.format_decimal()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("<nil>"),
        Value::Undefined => out.push_str("<no value>"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print(item, out)?;
            }
            out.push(']');
        }
        Value::Object(object) => {
            let mut entries = Vec::with_capacity(object.len());
            for (key, value) in object.iter() {
                let mut key_text = String::new();
                print(key, &mut key_text)?;
                let mut value_text = String::new();
                print(value, &mut value_text)?;
                entries.push((key_text, value_text));
            }
            // Go prints map keys sorted as strings.
            entries.sort();
            out.push_str("map[");
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(key);
                out.push(':');
                out.push_str(value);
            }
            out.push(']');
        }
        Value::Set(_) => bail!("a set cannot be rendered (OPA rejects sets too): use an array"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{error, eval};
    use regorus::Value;

    fn render(template: &str, vars: &str) -> Value {
        eval(&format!("strings.render_template({template:?}, {vars})")).unwrap()
    }

    #[test]
    fn fields_comments_and_trim_markers() {
        assert_eq!(
            render(
                "a {{- /* note */ -}} b {{ .x.y }}\n  {{- .z}}",
                r#"{"x": {"y": 1}, "z": [true, null]}"#
            ),
            Value::from("ab 1[true <nil>]")
        );
        assert_eq!(
            render("{{.}}", r#"{"b": {"c": "d"}, "a": 1}"#),
            Value::from("map[a:1 b:map[c:d]]")
        );
        assert_eq!(
            render("{{.gone.deeper}} {{.n}}", r#"{"n": null}"#),
            Value::from("<undefined> <undefined>")
        );
    }

    #[test]
    fn unsupported_and_broken_templates_are_errors() {
        let cases = [
            (r#"strings.render_template("{{if .a}}x{{end}}", {"a": 1})"#, "unsupported template action {{if .a}}"),
            (r#"strings.render_template("x {{.a", {})"#, "template: template:1: unclosed action"),
            (r#"strings.render_template("{{ }}", {})"#, "missing value for command"),
            (r#"strings.render_template("{{.a-b}}", {})"#, "unsupported template action {{.a-b}}"),
            (
                r#"strings.render_template("\n  {{.a.b}}", {"a": "s"})"#,
                "template: template:2:6: executing \"template\" at <.a.b>: can't evaluate field b in type interface {}",
            ),
            (
                r#"strings.render_template("{{.a.b}}", {"a": null})"#,
                "nil pointer evaluating interface {}.b",
            ),
            (r#"strings.render_template("{{.a}}", {"a": {1}})"#, "a set cannot be rendered"),
            (r#"strings.render_template("x", [])"#, "operand 2 must be object but got array"),
        ];
        for (expr, message) in cases {
            let got = error(expr);
            assert!(got.contains(message), "{expr}: {got}");
        }
    }
}
