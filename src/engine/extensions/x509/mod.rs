//! `crypto.x509.parse_certificates`: OPA returns Go's `x509.Certificate`
//! structs as JSON (plus `URIStrings`), so this builds the same objects, field
//! for field, from x509-parser's reading of the DER: Go's field names, its
//! enumerations (`SignatureAlgorithm`, `PublicKeyAlgorithm`, `ExtKeyUsage`,
//! the `KeyUsage` bit mask), `null` for absent lists, base64 for bytes and
//! arbitrary-precision numbers for serials and keys. `docs/builtins.md` lists
//! what is not filled in.

use anyhow::{anyhow, bail, Result};
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::GeneralPurpose;
use base64::Engine as _;
use regorus::Value;
use x509_parser::asn1_rs::{FromDer, Oid, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::num_bigint::BigUint;
use x509_parser::pem::Pem;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::X509Name;

mod extensions;
mod url;

use extensions::extensions;
#[cfg(test)]
use url::go_url;

use super::{go_base64_error, string_arg, GO_BASE64};

/// Go's `base64.StdEncoding`.
const STANDARD_GO: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, GO_BASE64);

pub(super) fn parse_certificates(args: &[Value]) -> Result<Value> {
    let der = der_certificates(string_arg(args, 0)?)?;
    let mut rest = der.as_slice();
    let mut certificates = Vec::new();
    while !rest.is_empty() {
        let (next, certificate) = x509_parser::parse_x509_certificate(rest)
            .map_err(|e| anyhow!("x509: malformed certificate: {e}"))?;
        certificates.push(certificate_value(&certificate)?);
        rest = next;
    }
    Ok(Value::from(certificates))
}

/// The DER of every certificate in the input: PEM, base64 of PEM, or base64 of DER (as OPA reads it).
fn der_certificates(input: &str) -> Result<Vec<u8>> {
    if input.starts_with("-----BEGIN") {
        return pem_der(input.as_bytes());
    }
    // Go's decoder skips line breaks.
    let compact: String = input.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    let bytes = STANDARD_GO
        .decode(&compact)
        .map_err(|e| go_base64_error(&e, compact.len()))?;
    if bytes.starts_with(b"-----BEGIN") {
        pem_der(&bytes)
    } else {
        Ok(bytes)
    }
}

fn pem_der(text: &[u8]) -> Result<Vec<u8>> {
    let mut der = Vec::new();
    for block in Pem::iter_from_buffer(text) {
        let block = block.map_err(|e| anyhow!("invalid PEM block: {e}"))?;
        if block.label != "CERTIFICATE" {
            bail!("PEM block type is '{}', expected CERTIFICATE", block.label);
        }
        der.extend_from_slice(&block.contents);
    }
    Ok(der)
}

/// An object from Go field names.
fn object(fields: Vec<(&str, Value)>) -> Value {
    Value::from(
        fields
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}

fn base64(bytes: &[u8]) -> Value {
    Value::from(STANDARD.encode(bytes))
}

fn big(bytes: &[u8]) -> Value {
    let decimal = BigUint::from_bytes_be(bytes).to_string();
    Value::from_numeric_string(&decimal).unwrap_or(Value::Null)
}

/// A list, or `null` when empty (Go's nil slice).
fn list(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::from(items)
    }
}

fn strings(items: Vec<String>) -> Value {
    list(items.into_iter().map(Value::from).collect())
}

/// An OID as Go's `asn1.ObjectIdentifier`: its arcs.
fn arcs(oid: &Oid) -> Value {
    match oid.iter() {
        Some(arcs) => Value::from(arcs.map(Value::from).collect::<Vec<_>>()),
        None => Value::Null,
    }
}

fn oid_is(oid: &Oid, dotted: &str) -> bool {
    oid.to_id_string() == dotted
}

/// Go's `pkix.Name`.
fn name(name: &X509Name) -> Result<Value> {
    let mut names = Vec::new();
    let mut lists: [(&str, &str, Vec<String>); 7] = [
        ("2.5.4.6", "Country", Vec::new()),
        ("2.5.4.10", "Organization", Vec::new()),
        ("2.5.4.11", "OrganizationalUnit", Vec::new()),
        ("2.5.4.7", "Locality", Vec::new()),
        ("2.5.4.8", "Province", Vec::new()),
        ("2.5.4.9", "StreetAddress", Vec::new()),
        ("2.5.4.17", "PostalCode", Vec::new()),
    ];
    let mut common_name = String::new();
    let mut serial_number = String::new();
    for attribute in name.iter_attributes() {
        let value = attribute_text(attribute.attr_value().tag(), attribute.as_slice())?;
        let oid = attribute.attr_type().to_id_string();
        names.push(object(vec![
            ("Type", arcs(attribute.attr_type())),
            ("Value", Value::from(value.clone())),
        ]));
        match oid.as_str() {
            "2.5.4.3" => common_name = value,
            "2.5.4.5" => serial_number = value,
            _ => {
                if let Some(entry) = lists.iter_mut().find(|(o, _, _)| *o == oid) {
                    entry.2.push(value);
                }
            }
        }
    }
    let mut fields = vec![
        ("CommonName", Value::from(common_name)),
        ("SerialNumber", Value::from(serial_number)),
        ("Names", list(names)),
        ("ExtraNames", Value::Null),
    ];
    for (_, field, values) in lists {
        fields.push((field, strings(values)));
    }
    Ok(object(fields))
}

/// The string types Go accepts in names.
fn attribute_text(tag: Tag, bytes: &[u8]) -> Result<String> {
    match tag {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::NumericString => {
            String::from_utf8(bytes.to_vec()).map_err(|_| anyhow!("x509: invalid name string"))
        }
        // Go reads T61String bytes as they are.
        Tag::T61String => Ok(String::from_utf8_lossy(bytes).into_owned()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16(&units).map_err(|_| anyhow!("x509: invalid BMPString"))
        }
        other => bail!("x509: unsupported string type: {}", other.0),
    }
}

/// Go's `time.Time` in JSON (RFC 3339, UTC).
fn time(at: &x509_parser::time::ASN1Time) -> Value {
    let t = at.to_datetime();
    let fraction = match t.nanosecond() {
        0 => String::new(),
        n => format!(".{n:09}").trim_end_matches('0').to_owned(),
    };
    Value::from(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// Go's `x509.SignatureAlgorithm` for an algorithm identifier.
fn signature_algorithm(cert: &X509Certificate) -> i64 {
    let algorithm = &cert.signature_algorithm;
    match algorithm.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.2" => 1,
        "1.2.840.113549.1.1.4" => 2,
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => 3,
        "1.2.840.113549.1.1.11" => 4,
        "1.2.840.113549.1.1.12" => 5,
        "1.2.840.113549.1.1.13" => 6,
        "1.2.840.10040.4.3" => 7,
        "2.16.840.1.101.3.4.3.2" => 8,
        "1.2.840.10045.4.1" => 9,
        "1.2.840.10045.4.3.2" => 10,
        "1.2.840.10045.4.3.3" => 11,
        "1.2.840.10045.4.3.4" => 12,
        // RSASSA-PSS: Go names it by the hash in its parameters.
        "1.2.840.113549.1.1.10" => {
            let params = algorithm
                .parameters
                .as_ref()
                .map(|p| p.as_bytes())
                .unwrap_or_default();
            // DER of the SHA-256/384/512 OIDs (2.16.840.1.101.3.4.2.1-3).
            let sha = |last: u8| [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last];
            let has = |last| params.windows(9).any(|w| w == sha(last));
            match () {
                _ if has(1) => 13,
                _ if has(2) => 14,
                _ if has(3) => 15,
                _ => 0,
            }
        }
        "1.3.101.112" => 16,
        _ => 0,
    }
}

/// Go's `PublicKeyAlgorithm` and `PublicKey` (RSA, ECDSA on the NIST curves, Ed25519).
fn public_key(cert: &X509Certificate) -> (i64, Value) {
    let spki = cert.public_key();
    let unknown = (0, Value::Null);
    match spki.algorithm.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.1" => match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => {
                let e = rsa
                    .try_exponent()
                    .map(Value::from)
                    .unwrap_or_else(|_| big(rsa.exponent));
                (1, object(vec![("N", big(rsa.modulus)), ("E", e)]))
            }
            _ => unknown,
        },
        "1.2.840.10045.2.1" => {
            let point = spki.subject_public_key.data.as_ref();
            // Only uncompressed points (0x04 | X | Y), as Go.
            match point.split_first() {
                Some((0x04, xy)) if !xy.is_empty() && xy.len() % 2 == 0 => {
                    let (x, y) = xy.split_at(xy.len() / 2);
                    (
                        3,
                        object(vec![
                            ("Curve", object(Vec::new())),
                            ("X", big(x)),
                            ("Y", big(y)),
                        ]),
                    )
                }
                _ => unknown,
            }
        }
        "1.3.101.112" => (4, base64(&spki.subject_public_key.data)),
        _ => unknown,
    }
}

/// Go's `ExtKeyUsage` number for an OID, if it has one.
fn ext_key_usage(oid: &str) -> Option<i64> {
    let known = [
        "2.5.29.37.0",
        "1.3.6.1.5.5.7.3.1",
        "1.3.6.1.5.5.7.3.2",
        "1.3.6.1.5.5.7.3.3",
        "1.3.6.1.5.5.7.3.4",
        "1.3.6.1.5.5.7.3.5",
        "1.3.6.1.5.5.7.3.6",
        "1.3.6.1.5.5.7.3.7",
        "1.3.6.1.5.5.7.3.8",
        "1.3.6.1.5.5.7.3.9",
        "1.3.6.1.4.1.311.10.3.3",
        "2.16.840.1.113730.4.1",
        "1.3.6.1.4.1.311.2.1.22",
        "1.3.6.1.4.1.311.61.1.1",
    ];
    known
        .iter()
        .position(|k| *k == oid)
        .and_then(|i| i64::try_from(i).ok())
}

/// An IP address as Go's `net.IP` prints it.
fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string()),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            let v6 = std::net::Ipv6Addr::from(octets);
            Some(match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => v6.to_string(),
            })
        }
        _ => None,
    }
}

fn certificate_value(cert: &X509Certificate) -> Result<Value> {
    let tbs = &cert.tbs_certificate;
    let (key_algorithm, key) = public_key(cert);
    let mut fields = vec![
        ("Raw", base64(cert.as_raw())),
        ("RawTBSCertificate", base64(tbs.as_ref())),
        ("RawSubjectPublicKeyInfo", base64(tbs.subject_pki.raw)),
        ("RawSubject", base64(tbs.subject.as_raw())),
        ("RawIssuer", base64(tbs.issuer.as_raw())),
        ("Signature", base64(&cert.signature_value.data)),
        ("SignatureAlgorithm", Value::from(signature_algorithm(cert))),
        ("PublicKeyAlgorithm", Value::from(key_algorithm)),
        ("PublicKey", key),
        ("Version", Value::from(i64::from(tbs.version.0) + 1)),
        ("SerialNumber", big(tbs.raw_serial())),
        ("Issuer", name(&tbs.issuer)?),
        ("Subject", name(&tbs.subject)?),
        ("NotBefore", time(&tbs.validity.not_before)),
        ("NotAfter", time(&tbs.validity.not_after)),
    ];
    fields.extend(extensions(cert)?.fields);
    Ok(object(fields))
}

#[cfg(test)]
mod tests {
    use super::super::tests::error;
    use super::*;

    #[test]
    fn bad_input_is_an_error() {
        assert!(error(r#"crypto.x509.parse_certificates("not base64!")"#)
            .contains("crypto.x509.parse_certificates: illegal base64 data"));
        assert!(error(r#"crypto.x509.parse_certificates("aGVsbG8=")"#)
            .contains("x509: malformed certificate"));
        let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(error(&format!("crypto.x509.parse_certificates({key:?})"))
            .contains("PEM block type is 'PRIVATE KEY', expected CERTIFICATE"));
    }

    #[test]
    fn uris_as_go_reads_them() {
        let url = go_url("https://u@h.example:8443/a%20b/c?x=1#f").unwrap();
        let field = |k: &str| url.as_object().unwrap().get(&Value::from(k)).cloned();
        assert_eq!(field("Host"), Some(Value::from("h.example:8443")));
        assert_eq!(field("Path"), Some(Value::from("/a b/c")));
        assert_eq!(field("RawPath"), Some(Value::from("")));
        assert_eq!(field("User"), Some(object(Vec::new())));
        let urn = go_url("urn:example:x").unwrap();
        assert_eq!(
            urn.as_object().unwrap().get(&Value::from("Opaque")),
            Some(&Value::from("example:x"))
        );
    }
}
