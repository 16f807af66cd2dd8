//! JSON pointers (RFC 6901) and the path segments findings carry.

use std::fmt::Write;

/// One step of a path into a document: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl PathSegment {
    /// Appends this segment to a pointer, escaped.
    pub fn push_escaped(&self, out: &mut String) {
        match self {
            PathSegment::Key(k) => escape_token(k, out),
            PathSegment::Index(i) => {
                let _ = write!(out, "{i}");
            }
        }
    }

    /// Reads a path from a rule's `path` field: an array of keys and indices,
    /// or a JSON pointer string. Returns `None` for anything else.
    pub fn parse_path(value: &serde_json::Value) -> Option<Vec<PathSegment>> {
        match value {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    serde_json::Value::String(s) => Some(PathSegment::Key(s.clone())),
                    serde_json::Value::Number(n) => {
                        n.as_u64().map(|i| PathSegment::Index(i as usize))
                    }
                    _ => None,
                })
                .collect(),
            serde_json::Value::String(s) => Some(parse_pointer(s)),
            _ => None,
        }
    }

    /// Renders a path as a JSON pointer.
    pub fn to_pointer(path: &[PathSegment]) -> String {
        let mut out = String::new();
        for segment in path {
            out.push('/');
            segment.push_escaped(&mut out);
        }
        out
    }
}

/// Splits a JSON pointer (or a dotted path such as `spec.containers[0].image`) into segments.
fn parse_pointer(text: &str) -> Vec<PathSegment> {
    let segment = |raw: &str| match raw.parse::<usize>() {
        Ok(i) if !raw.starts_with('+') => PathSegment::Index(i),
        _ => PathSegment::Key(raw.to_owned()),
    };
    if let Some(rest) = text.strip_prefix('/') {
        return rest
            .split('/')
            .map(|t| segment(&t.replace("~1", "/").replace("~0", "~")))
            .collect();
    }
    text.split(['.', '[', ']'])
        .filter(|t| !t.is_empty())
        .map(segment)
        .collect()
}

/// Escapes one reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_token(token: &str, out: &mut String) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_arrays_pointers_and_dotted_paths() {
        let want = vec![
            PathSegment::Key("spec".into()),
            PathSegment::Key("containers".into()),
            PathSegment::Index(0),
            PathSegment::Key("a/b".into()),
        ];
        assert_eq!(
            PathSegment::parse_path(&json!(["spec", "containers", 0, "a/b"])).unwrap(),
            want
        );
        assert_eq!(
            PathSegment::parse_path(&json!("/spec/containers/0/a~1b")).unwrap(),
            want
        );
        assert_eq!(
            PathSegment::to_pointer(&want),
            "/spec/containers/0/a~1b".to_string()
        );
        assert_eq!(
            PathSegment::parse_path(&json!("spec.containers[0].image"))
                .unwrap()
                .len(),
            4
        );
        assert!(PathSegment::parse_path(&json!(["a", true])).is_none());
    }
}
