//! The certificate fields Go fills from extensions (key usage, SANs, basic
//! constraints, policies, name constraints, ...), starting from Go's zero values.

use anyhow::Result;
use regorus::Value;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};

use super::url::go_url;
use super::*;

/// Fields that extensions fill and Go leaves `null` (nil slices and pointers) without them.
const NULL_FIELDS: [&str; 26] = [
    "Extensions",
    "ExtraExtensions",
    "UnhandledCriticalExtensions",
    "ExtKeyUsage",
    "UnknownExtKeyUsage",
    "SubjectKeyId",
    "AuthorityKeyId",
    "OCSPServer",
    "IssuingCertificateURL",
    "DNSNames",
    "EmailAddresses",
    "IPAddresses",
    "URIs",
    "URIStrings",
    "PermittedDNSDomains",
    "ExcludedDNSDomains",
    "PermittedIPRanges",
    "ExcludedIPRanges",
    "PermittedEmailAddresses",
    "ExcludedEmailAddresses",
    "PermittedURIDomains",
    "ExcludedURIDomains",
    "CRLDistributionPoints",
    "PolicyIdentifiers",
    "Policies",
    "PolicyMappings",
];

/// Boolean fields that extensions fill, `false` without them.
const FALSE_FIELDS: [&str; 7] = [
    "BasicConstraintsValid",
    "IsCA",
    "MaxPathLenZero",
    "PermittedDNSDomainsCritical",
    "InhibitAnyPolicyZero",
    "InhibitPolicyMappingZero",
    "RequireExplicitPolicyZero",
];

/// Number fields that extensions fill, `0` without them.
const ZERO_FIELDS: [&str; 5] = [
    "KeyUsage",
    "MaxPathLen",
    "InhibitAnyPolicy",
    "InhibitPolicyMapping",
    "RequireExplicitPolicy",
];

/// The fields a certificate's extensions fill, with Go's zero values to start from.
pub(super) struct Extended {
    pub(super) fields: Vec<(&'static str, Value)>,
}

impl Extended {
    /// Every field at Go's zero value.
    fn new() -> Extended {
        let zero = |names: &[&'static str], value: Value| {
            names
                .iter()
                .map(move |n| (*n, value.clone()))
                .collect::<Vec<_>>()
        };
        let mut fields = zero(&NULL_FIELDS, Value::Null);
        fields.extend(zero(&FALSE_FIELDS, Value::from(false)));
        fields.extend(zero(&ZERO_FIELDS, Value::from(0)));
        Extended { fields }
    }

    fn set(&mut self, field: &'static str, value: Value) {
        if let Some(slot) = self.fields.iter_mut().find(|(f, _)| *f == field) {
            slot.1 = value;
        }
    }
}

pub(super) fn extensions(cert: &X509Certificate) -> Result<Extended> {
    let mut out = Extended::new();
    let mut all = Vec::new();
    let mut unhandled = Vec::new();
    for ext in cert.extensions() {
        all.push(object(vec![
            ("Id", arcs(&ext.oid)),
            ("Critical", Value::from(ext.critical)),
            ("Value", base64(ext.value)),
        ]));
        let handled = match ext.parsed_extension() {
            ParsedExtension::KeyUsage(usage) => {
                // Go's KeyUsage: bit i of the ASN.1 bit string is 1 << i.
                out.set("KeyUsage", Value::from(i64::from(usage.flags & 0x1ff)));
                true
            }
            ParsedExtension::ExtendedKeyUsage(_) => {
                // Re-read the OIDs to keep their order, which Go keeps.
                let (_, oids) = <Vec<Oid>>::from_der(ext.value)
                    .map_err(|e| anyhow!("x509: invalid extended key usage: {e}"))?;
                let (mut known, mut unknown) = (Vec::new(), Vec::new());
                for oid in &oids {
                    match ext_key_usage(&oid.to_id_string()) {
                        Some(n) => known.push(Value::from(n)),
                        None => unknown.push(arcs(oid)),
                    }
                }
                out.set("ExtKeyUsage", list(known));
                out.set("UnknownExtKeyUsage", list(unknown));
                true
            }
            ParsedExtension::BasicConstraints(bc) => {
                let max = bc.path_len_constraint.map_or(-1, i64::from);
                out.set("BasicConstraintsValid", Value::from(true));
                out.set("IsCA", Value::from(bc.ca));
                out.set("MaxPathLen", Value::from(max));
                out.set("MaxPathLenZero", Value::from(max == 0));
                true
            }
            ParsedExtension::SubjectKeyIdentifier(id) => {
                out.set("SubjectKeyId", base64(id.0));
                true
            }
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                if let Some(id) = &aki.key_identifier {
                    out.set("AuthorityKeyId", base64(id.0));
                }
                true
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                let (mut dns, mut email, mut ip, mut uris) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for general in &san.general_names {
                    match general {
                        GeneralName::DNSName(n) => dns.push(n.to_string()),
                        GeneralName::RFC822Name(n) => email.push(n.to_string()),
                        GeneralName::URI(u) => uris.push(u.to_string()),
                        GeneralName::IPAddress(bytes) => ip.push(
                            ip_text(bytes)
                                .ok_or_else(|| anyhow!("x509: invalid IP address length"))?,
                        ),
                        _ => {}
                    }
                }
                // Go counts a critical SAN with none of these as unhandled.
                let any = !(dns.is_empty() && email.is_empty() && ip.is_empty() && uris.is_empty());
                out.set("DNSNames", strings(dns));
                out.set("EmailAddresses", strings(email));
                out.set("IPAddresses", strings(ip));
                out.set(
                    "URIs",
                    list(uris.iter().map(|u| go_url(u)).collect::<Result<_>>()?),
                );
                out.set("URIStrings", strings(uris));
                any
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                let (mut ocsp, mut issuers) = (Vec::new(), Vec::new());
                for access in &aia.accessdescs {
                    if let GeneralName::URI(u) = access.access_location {
                        if oid_is(&access.access_method, "1.3.6.1.5.5.7.48.1") {
                            ocsp.push(u.to_string());
                        } else if oid_is(&access.access_method, "1.3.6.1.5.5.7.48.2") {
                            issuers.push(u.to_string());
                        }
                    }
                }
                out.set("OCSPServer", strings(ocsp));
                out.set("IssuingCertificateURL", strings(issuers));
                true
            }
            ParsedExtension::CRLDistributionPoints(points) => {
                let mut urls = Vec::new();
                for point in &points.points {
                    if let Some(DistributionPointName::FullName(names)) = &point.distribution_point
                    {
                        for general in names {
                            if let GeneralName::URI(u) = general {
                                urls.push(u.to_string());
                            }
                        }
                    }
                }
                out.set("CRLDistributionPoints", strings(urls));
                true
            }
            ParsedExtension::CertificatePolicies(policies) => {
                out.set(
                    "PolicyIdentifiers",
                    list(policies.iter().map(|p| arcs(&p.policy_id)).collect()),
                );
                out.set(
                    "Policies",
                    strings(
                        policies
                            .iter()
                            .map(|p| p.policy_id.to_id_string())
                            .collect(),
                    ),
                );
                true
            }
            ParsedExtension::PolicyMappings(mappings) => {
                let items = mappings
                    .mappings
                    .iter()
                    .map(|m| {
                        object(vec![
                            (
                                "IssuerDomainPolicy",
                                Value::from(m.issuer_domain_policy.to_id_string()),
                            ),
                            (
                                "SubjectDomainPolicy",
                                Value::from(m.subject_domain_policy.to_id_string()),
                            ),
                        ])
                    })
                    .collect();
                out.set("PolicyMappings", list(items));
                true
            }
            ParsedExtension::InhibitAnyPolicy(inhibit) => {
                out.set("InhibitAnyPolicy", Value::from(inhibit.skip_certs));
                out.set("InhibitAnyPolicyZero", Value::from(inhibit.skip_certs == 0));
                true
            }
            ParsedExtension::PolicyConstraints(constraints) => {
                if let Some(n) = constraints.require_explicit_policy {
                    out.set("RequireExplicitPolicy", Value::from(n));
                    out.set("RequireExplicitPolicyZero", Value::from(n == 0));
                }
                if let Some(n) = constraints.inhibit_policy_mapping {
                    out.set("InhibitPolicyMapping", Value::from(n));
                    out.set("InhibitPolicyMappingZero", Value::from(n == 0));
                }
                true
            }
            ParsedExtension::NameConstraints(constraints) => {
                out.set("PermittedDNSDomainsCritical", Value::from(ext.critical));
                let subtrees = [
                    ("Permitted", &constraints.permitted_subtrees),
                    ("Excluded", &constraints.excluded_subtrees),
                ];
                for (kind, trees) in subtrees {
                    let (mut dns, mut ips, mut emails, mut uris) =
                        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                    for tree in trees.iter().flatten() {
                        match &tree.base {
                            GeneralName::DNSName(n) => dns.push(n.to_string()),
                            GeneralName::RFC822Name(n) => emails.push(n.to_string()),
                            GeneralName::URI(u) => uris.push(u.to_string()),
                            GeneralName::IPAddress(bytes) => {
                                let (ip, mask) = bytes.split_at(bytes.len() / 2);
                                let ip = ip_text(ip).ok_or_else(|| {
                                    anyhow!("x509: invalid IP range in name constraints")
                                })?;
                                ips.push(object(vec![
                                    ("IP", Value::from(ip)),
                                    ("Mask", base64(mask)),
                                ]));
                            }
                            _ => {}
                        }
                    }
                    let field = |suffix: &str| -> &'static str {
                        match (kind, suffix) {
                            ("Permitted", "DNS") => "PermittedDNSDomains",
                            ("Permitted", "IP") => "PermittedIPRanges",
                            ("Permitted", "Email") => "PermittedEmailAddresses",
                            ("Permitted", _) => "PermittedURIDomains",
                            (_, "DNS") => "ExcludedDNSDomains",
                            (_, "IP") => "ExcludedIPRanges",
                            (_, "Email") => "ExcludedEmailAddresses",
                            _ => "ExcludedURIDomains",
                        }
                    };
                    out.set(field("DNS"), strings(dns));
                    out.set(field("IP"), list(ips));
                    out.set(field("Email"), strings(emails));
                    out.set(field("URI"), strings(uris));
                }
                true
            }
            _ => false,
        };
        if ext.critical && !handled {
            unhandled.push(arcs(&ext.oid));
        }
    }
    out.set("Extensions", list(all));
    out.set("UnhandledCriticalExtensions", list(unhandled));
    Ok(out)
}
