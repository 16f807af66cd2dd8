//! Go's `url.URL` for the URIs of a certificate's subject alternative names.

use anyhow::Result;
use regorus::Value;

use super::*;

/// Go's `url.URL` for a URI (the common cases: scheme, user, host, path, query, fragment).
pub(super) fn go_url(uri: &str) -> Result<Value> {
    let (rest, fragment) = match uri.split_once('#') {
        Some((r, f)) => (r, f),
        None => (uri, ""),
    };
    let (rest, query, force_query) = match rest.split_once('?') {
        Some((r, q)) => (r, q, q.is_empty()),
        None => (rest, "", false),
    };
    let (scheme, rest) = match rest.split_once(':') {
        Some((s, r))
            if s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (s.to_ascii_lowercase(), r)
        }
        _ => (String::new(), rest),
    };
    let (mut user, mut host, mut path, mut opaque) =
        (Value::Null, String::new(), String::new(), String::new());
    if let Some(authority_and_path) = rest.strip_prefix("//") {
        let (authority, p) = match authority_and_path.find('/') {
            Some(i) => authority_and_path.split_at(i),
            None => (authority_and_path, ""),
        };
        let h = match authority.rsplit_once('@') {
            Some((_, h)) => {
                // Go's Userinfo has only unexported fields: it marshals as {}.
                user = object(Vec::new());
                h
            }
            None => authority,
        };
        host = h.to_owned();
        path = p.to_owned();
    } else if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest.to_owned();
    } else {
        path = rest.to_owned();
    }
    let decoded = percent_decode(&path)?;
    // Go keeps RawPath only when the escaping is not the default one.
    let raw_path = if decoded != path && percent_encode_path(&decoded) != path {
        path.clone()
    } else {
        String::new()
    };
    Ok(object(vec![
        ("Scheme", Value::from(scheme)),
        ("Opaque", Value::from(opaque)),
        ("User", user),
        ("Host", Value::from(host)),
        ("Path", Value::from(decoded)),
        ("RawPath", Value::from(raw_path)),
        ("OmitHost", Value::from(false)),
        ("ForceQuery", Value::from(force_query)),
        ("RawQuery", Value::from(query)),
        ("Fragment", Value::from(percent_decode(fragment)?)),
        ("RawFragment", Value::from("")),
    ]))
}

fn percent_decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| anyhow!("x509: invalid URI escape in {text}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| anyhow!("x509: invalid URI escape in {text}"))
}

/// Go's default escaping of a URL path.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
