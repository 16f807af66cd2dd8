//! `crypto.md5` and `crypto.sha256`: the digest of a string's UTF-8 bytes, in hex.

use anyhow::Result;
use md5::Md5;
use regorus::Value;
use sha2::{Digest, Sha256};

use super::{hex, string_arg};

pub(super) fn md5(args: &[Value]) -> Result<Value> {
    digest::<Md5>(args)
}

pub(super) fn sha256(args: &[Value]) -> Result<Value> {
    digest::<Sha256>(args)
}

fn digest<D: Digest>(args: &[Value]) -> Result<Value> {
    let text = string_arg(args, 0)?;
    Ok(Value::from(hex(&D::digest(text.as_bytes()))))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{error, eval};
    use regorus::Value;

    #[test]
    fn digests_of_utf8_text() {
        assert_eq!(
            eval(r#"crypto.md5("héllo")"#).unwrap(),
            Value::from("be50e8478cf24ff3595bc7307fb91b50")
        );
        assert!(error("crypto.sha256([])").contains("operand 1 must be string but got array"));
    }
}
