//! `io.jwt.decode`: a JWS compact token as `[header, payload, signature-hex]`,
//! without verifying anything (as in OPA).

use anyhow::{anyhow, bail, Result};
use base64::alphabet::URL_SAFE;
use base64::engine::GeneralPurpose;
use base64::Engine as _;
use regorus::Value;

use super::{go_base64_error, hex, string_arg, GO_BASE64};

/// Go's `base64.URLEncoding`.
const URL_PADDED: GeneralPurpose = GeneralPurpose::new(&URL_SAFE, GO_BASE64);

pub(super) fn decode(args: &[Value]) -> Result<Value> {
    decode_token(string_arg(args, 0)?)
}

fn decode_token(token: &str) -> Result<Value> {
    if !token.contains('.') {
        bail!("encoded JWT had no period separators");
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        bail!("encoded JWT must have 3 sections, found {}", parts.len());
    };
    let header = base64url(header).map_err(|e| anyhow!("JWT header had invalid encoding: {e}"))?;
    let header = json_object(&header).map_err(|e| anyhow!("bad JWT header: {e}"))?;
    let field = |name: &str| {
        header
            .as_object()
            .ok()
            .and_then(|o| o.get(&Value::from(name)))
    };
    if field("enc").is_some() {
        bail!("JWT is a JWE object, which is not supported");
    }
    let payload =
        base64url(payload).map_err(|e| anyhow!("JWT payload had invalid encoding: {e}"))?;
    // A nested token (`cty: JWT`) is decoded in its place; jwt.io quotes it, so quotes go.
    if field("cty") == Some(&Value::from("JWT")) {
        let inner = String::from_utf8_lossy(&payload);
        return decode_token(inner.trim_matches(|c| c == '"' || c == '\''));
    }
    let payload = json_object(&payload)?;
    let signature =
        base64url(signature).map_err(|e| anyhow!("JWT signature had invalid encoding: {e}"))?;
    Ok(Value::from(vec![
        header,
        payload,
        Value::from(hex(&signature)),
    ]))
}

/// OPA's `base64url.decode`: padding is optional, but a lone trailing symbol is not.
fn base64url(text: &str) -> Result<Vec<u8>> {
    let padded = if text.ends_with('=') {
        text.to_owned()
    } else {
        match text.len() % 4 {
            0 => text.to_owned(),
            2 => format!("{text}=="),
            3 => format!("{text}="),
            _ => bail!("illegal base64url string: {text}"),
        }
    };
    URL_PADDED
        .decode(&padded)
        .map_err(|e| go_base64_error(&e, text.len()))
}

fn json_object(bytes: &[u8]) -> Result<Value> {
    let json: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| anyhow!("invalid JSON: {e}"))?;
    if !json.is_object() {
        bail!("decoded JSON type was not an Object");
    }
    Ok(Value::from(json))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{error, eval};
    use super::*;

    #[test]
    fn decodes_header_payload_and_signature() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.-_8";
        assert_eq!(
            eval(&format!("io.jwt.decode({token:?})")).unwrap(),
            Value::from_json_str(r#"[{"alg": "HS256"}, {"sub": "x"}, "fbff"]"#).unwrap()
        );
    }

    #[test]
    fn malformed_tokens_are_errors() {
        for (token, message) in [
            ("abc", "io.jwt.decode: encoded JWT had no period separators"),
            ("a.b.c.d", "encoded JWT must have 3 sections, found 4"),
            (
                "!!.e30.",
                "JWT header had invalid encoding: illegal base64 data at input byte 0",
            ),
            (
                "e30.e.",
                "JWT payload had invalid encoding: illegal base64url string: e",
            ),
            (
                "e30.e30.ab=",
                "JWT signature had invalid encoding: illegal base64 data at input byte 3",
            ),
            ("e30.e30.a=b", "illegal base64 data at input byte 1"),
            ("e30.W10.", "decoded JSON type was not an Object"),
            ("bm90IGpzb24.e30.", "bad JWT header: invalid JSON:"),
            (
                "eyJlbmMiOiJ4In0.e30.",
                "JWT is a JWE object, which is not supported",
            ),
        ] {
            let got = error(&format!("io.jwt.decode({token:?})"));
            assert!(got.contains(message), "{token}: {got}");
        }
    }

    #[test]
    fn base64url_accepts_missing_and_present_padding() {
        assert_eq!(base64url("e30").unwrap(), b"{}");
        assert_eq!(base64url("e30=").unwrap(), b"{}");
        assert_eq!(base64url("abcdef==").unwrap(), [0x69, 0xb7, 0x1d, 0x79]);
    }
}
