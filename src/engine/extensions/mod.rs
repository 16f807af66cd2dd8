//! OPA built-in functions that regorus 0.14.1 does not have (in any of its
//! cargo features), added to every engine as extensions under their OPA names.
//!
//! regorus resolves a call by its full dotted path and looks extensions up
//! before its own built-ins, so `net.cidr_merge(x)` reaches the extension
//! registered as `"net.cidr_merge"`; only the static undefined-function check
//! (`calls.rs`) has to be told about these names. Behaviour follows OPA v1.20
//! (checked against it by `tests/it/builtins.rs`); `docs/builtins.md` lists
//! the supported subsets and the deliberate differences.
//!
//! As for regorus's own built-ins, and OPA with `--strict-builtin-errors`, a
//! bad argument is an evaluation error, never a panic.

mod crypto;
mod globs;
mod jwt;
mod net;
mod template;
mod x509;

use anyhow::{anyhow, bail, Result};
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};
use regorus::Value;

type Builtin = fn(&[Value]) -> Result<Value>;

/// Name, number of arguments and implementation of each extension.
const BUILTINS: [(&str, u8, Builtin); 8] = [
    ("crypto.md5", 1, crypto::md5),
    ("crypto.sha256", 1, crypto::sha256),
    (
        "crypto.x509.parse_certificates",
        1,
        x509::parse_certificates,
    ),
    ("io.jwt.decode", 1, jwt::decode),
    ("net.cidr_intersects", 2, net::cidr_intersects),
    ("net.cidr_merge", 1, net::cidr_merge),
    ("regex.globs_match", 2, globs::globs_match),
    ("strings.render_template", 2, template::render_template),
];

/// Adds every extension to an engine being compiled.
pub(crate) fn register(engine: &mut regorus::Engine) {
    for (name, nargs, builtin) in BUILTINS {
        // Adding fails only for a name already added: these are distinct (tested)
        // and no other extension uses them.
        let _ = engine.add_extension(
            name.to_owned(),
            nargs,
            // OPA prefixes a built-in's errors with its name; regorus adds the location.
            Box::new(move |args: Vec<Value>| builtin(&args).map_err(|e| anyhow!("{name}: {e}"))),
        );
    }
}

/// Whether `name` is one of the extensions (a call to it is not undefined).
pub(crate) fn is_extension(name: &str) -> bool {
    BUILTINS.iter().any(|(n, _, _)| *n == name)
}

/// OPA's name for a value's type, for operand errors.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Set(_) => "set",
        Value::Object(_) => "object",
        Value::Undefined => "undefined",
    }
}

/// Argument `index` (0-based) as a string, with OPA's operand error otherwise.
fn string_arg(args: &[Value], index: usize) -> Result<&str> {
    match args.get(index) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => bail!(
            "operand {} must be string but got {}",
            index + 1,
            type_name(other)
        ),
        None => bail!("operand {} is missing", index + 1),
    }
}

/// How Go's `base64` encodings decode (what OPA uses): padding required,
/// extra bits in the last symbol ignored.
const GO_BASE64: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
    .with_decode_allow_trailing_bits(true);

/// A base64 decoding error in Go's words, so that messages match OPA's.
fn go_base64_error(error: &base64::DecodeError, input_len: usize) -> anyhow::Error {
    use base64::DecodeError;
    let at = match *error {
        DecodeError::InvalidByte(at, _) | DecodeError::InvalidLastSymbol(at, _) => at,
        DecodeError::InvalidLength(_) | DecodeError::InvalidPadding => input_len,
    };
    anyhow!("illegal base64 data at input byte {at}")
}

/// Lower-case hexadecimal, as OPA prints digests and signatures.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluates `expr` in a fresh engine with the extensions; `Err` carries regorus's message.
    pub(super) fn eval(expr: &str) -> std::result::Result<Value, String> {
        let mut engine = regorus::Engine::new();
        register(&mut engine);
        engine
            .add_policy("t.rego".into(), format!("package t\n\nx := {expr}\n"))
            .map_err(|e| e.to_string())?;
        engine
            .eval_rule("data.t.x".into())
            .map_err(|e| format!("{e:#}"))
    }

    /// The message of the error `expr` raises (the test fails if it succeeds).
    pub(super) fn error(expr: &str) -> String {
        match eval(expr) {
            Ok(v) => panic!("{expr} gave {v} instead of an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn dotted_names_resolve_and_errors_carry_the_builtin_name() {
        assert_eq!(
            eval(r#"crypto.sha256("")"#).unwrap(),
            Value::from("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        let message = error("crypto.md5(1)");
        assert!(
            message.contains("crypto.md5: operand 1 must be string but got number"),
            "{message}"
        );
        assert!(is_extension("net.cidr_merge") && !is_extension("net.cidr_contains"));
        let names: std::collections::BTreeSet<_> = BUILTINS.iter().map(|b| b.0).collect();
        assert_eq!(names.len(), BUILTINS.len());
    }

    #[test]
    fn an_undefined_argument_leaves_the_call_undefined() {
        assert_eq!(eval("crypto.md5(input.missing)").unwrap(), Value::Undefined);
    }
}
