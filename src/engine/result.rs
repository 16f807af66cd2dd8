//! Turning the values a rule produced into findings: Conftest's conventions
//! (a string message, or an object with `msg`, `path`, `id`, `severity`, `details`).

use serde_json::Value;

use super::metadata::Severity;
use crate::input::PathSegment;

/// One element of a `deny`/`violation`/`warn` set, read.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOutput {
    /// The message.
    pub message: String,
    /// Where in the document, when the rule said.
    pub path: Option<Vec<PathSegment>>,
    /// An id that overrides the metadata's.
    pub id: Option<String>,
    /// A severity that overrides the metadata's.
    pub severity: Option<Severity>,
    /// Free-form details the rule attached.
    pub details: Option<Value>,
}

/// Reads each element of a rule's value. A set or array yields one output per
/// element; a lone string or object (a complete rule) yields one; `false`,
/// `null`, undefined and empty collections yield none.
pub fn read(value: &Value) -> Vec<RuleOutput> {
    match value {
        Value::Array(items) => items.iter().filter_map(read_one).collect(),
        other => read_one(other).into_iter().collect(),
    }
}

fn read_one(value: &Value) -> Option<RuleOutput> {
    match value {
        Value::Null | Value::Bool(false) => None,
        Value::String(s) => Some(RuleOutput {
            message: s.clone(),
            path: None,
            id: None,
            severity: None,
            details: None,
        }),
        Value::Object(map) => {
            let message = ["msg", "message"]
                .iter()
                .find_map(|k| map.get(*k))
                .map(|m| match m {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| value.to_string());
            Some(RuleOutput {
                message,
                path: map.get("path").and_then(PathSegment::parse_path),
                id: map.get("id").and_then(Value::as_str).map(str::to_owned),
                severity: map
                    .get("severity")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok()),
                details: map.get("details").cloned(),
            })
        }
        other => Some(RuleOutput {
            message: other.to_string(),
            path: None,
            id: None,
            severity: None,
            details: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_objects_and_empties() {
        let out = read(
            &json!(["plain", {"msg": "obj", "path": ["a", 0], "id": "X-1", "severity": "low"}]),
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].message, "plain");
        assert_eq!(out[1].id.as_deref(), Some("X-1"));
        assert_eq!(out[1].severity, Some(Severity::Low));
        assert_eq!(out[1].path.as_ref().unwrap().len(), 2);
        assert!(read(&json!([])).is_empty());
        assert!(read(&json!(false)).is_empty());
    }
}
