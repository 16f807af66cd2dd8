//! What a YAML scalar means: plain scalars resolved by the YAML 1.2 core schema,
//! or by YAML 1.1 as Kubernetes reads them (`yes`/`on`, `0644`); quoted and
//! block scalars are strings; core tags (`!!str`, `!!int`, ...) force a type.

use saphyr_parser::Tag;
use serde_json::{Number, Value};

/// Which YAML version decides what a plain scalar means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Schema {
    /// YAML 1.2 core schema.
    Core,
    /// YAML 1.1 as sigs.k8s.io/yaml reads it for the Kubernetes API server.
    Yaml11,
}

fn core_tag(tag: Option<&Tag>) -> Option<&str> {
    tag.filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str())
}

/// Resolves a scalar per the schema; quoted and block scalars are always strings.
pub(super) fn resolve_scalar(text: &str, plain: bool, tag: Option<&Tag>, schema: Schema) -> Value {
    match core_tag(tag) {
        Some("str") | Some("binary") | Some("timestamp") => return Value::String(text.into()),
        Some("null") => return Value::Null,
        Some("bool") | Some("int") | Some("float") => {}
        _ if !plain => return Value::String(text.into()),
        _ => {}
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if schema == Schema::Yaml11 {
        match text {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Value::Bool(true),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Value::Bool(false),
            _ => {}
        }
    }
    if let Some(n) = resolve_int(text, schema) {
        return n;
    }
    if let Some(f) = resolve_float(text) {
        return f;
    }
    Value::String(text.into())
}

fn resolve_int(text: &str, schema: Schema) -> Option<Value> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let owned;
    let digits = if schema == Schema::Yaml11 && digits.contains('_') {
        owned = digits.replace('_', "");
        owned.as_str()
    } else {
        digits
    };
    let (radix, body) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = digits.strip_prefix("0o") {
        (8, o)
    } else if schema == Schema::Yaml11 && digits.starts_with("0b") {
        (2, &digits[2..])
    } else if schema == Schema::Yaml11 && digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok();
    match (negative, magnitude) {
        (false, Some(m)) => Some(Value::Number(m.into())),
        (true, Some(m)) if m <= i64::MAX as u64 + 1 => {
            Some(Value::Number(((m as i128).wrapping_neg() as i64).into()))
        }
        // Too large for 64 bits: keep the digits' meaning as a float, as JSON would.
        _ => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
    }
}

fn resolve_float(text: &str) -> Option<Value> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut chars = body.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_dot => seen_dot = true,
            'e' | 'E' => break,
            _ => return None,
        }
        chars.next();
    }
    if !seen_digit {
        return None;
    }
    if chars.next().is_some() {
        let exponent: String = chars.collect();
        let exp = exponent.strip_prefix(['-', '+']).unwrap_or(&exponent);
        if exp.is_empty() || !exp.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    // `.inf` and `.nan` have no JSON form: they stay strings.
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}
