//! OPA `# METADATA` comment blocks. regorus does not read them, so Railyard
//! does: each block is YAML in comments, attached to the `package` or rule
//! that follows it.

use std::collections::HashMap;
use std::str::FromStr;

use serde_json::Value;

/// How serious a finding is; orders from most to least severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Exploitable or catastrophic.
    Critical,
    /// Serious risk.
    High,
    /// Should be fixed.
    Medium,
    /// Hygiene.
    Low,
    /// For information.
    Info,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "critical" => Ok(Severity::Critical),
            "high" => Ok(Severity::High),
            "medium" | "moderate" => Ok(Severity::Medium),
            "low" => Ok(Severity::Low),
            "info" | "informational" | "none" => Ok(Severity::Info),
            other => Err(format!(
                "unknown severity \"{other}\" (expected critical, high, medium, low or info)"
            )),
        }
    }
}

/// What the metadata says about a rule; every field optional so that rule scope
/// can override package scope field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleMeta {
    /// `custom.id`: the stable rule id.
    pub id: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `custom.severity`.
    pub severity: Option<Severity>,
    /// `custom.remediation`.
    pub remediation: Option<String>,
    /// `custom.targets`: kinds or formats the policy applies to.
    pub targets: Vec<String>,
    /// `custom.operations`: admission operations the policy applies to
    /// (`CREATE`, `UPDATE`, `DELETE`, `CONNECT`); empty means CREATE and UPDATE.
    pub operations: Vec<String>,
}

impl RuleMeta {
    fn from_yaml(value: &Value) -> Self {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(|s| s.trim().to_owned());
        let custom = value.get("custom");
        let list = |key: &str| match custom.and_then(|c| c.get(key)) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        let targets = list("targets");
        let operations = list("operations");
        RuleMeta {
            id: text(custom.and_then(|c| c.get("id"))),
            title: text(value.get("title")),
            description: text(value.get("description")),
            severity: text(custom.and_then(|c| c.get("severity"))).and_then(|s| s.parse().ok()),
            remediation: text(custom.and_then(|c| c.get("remediation"))),
            targets,
            operations,
        }
    }

    /// `self` with every unset field taken from `outer`.
    pub fn or(&self, outer: &RuleMeta) -> RuleMeta {
        RuleMeta {
            id: self.id.clone().or_else(|| outer.id.clone()),
            title: self.title.clone().or_else(|| outer.title.clone()),
            description: self
                .description
                .clone()
                .or_else(|| outer.description.clone()),
            severity: self.severity.or(outer.severity),
            remediation: self
                .remediation
                .clone()
                .or_else(|| outer.remediation.clone()),
            targets: if self.targets.is_empty() {
                outer.targets.clone()
            } else {
                self.targets.clone()
            },
            operations: if self.operations.is_empty() {
                outer.operations.clone()
            } else {
                self.operations.clone()
            },
        }
    }
}

/// The metadata blocks of one policy file.
#[derive(Debug, Default)]
pub struct FileMeta {
    /// Package-scope metadata, if any.
    pub package: Option<RuleMeta>,
    /// Rule-scope metadata by rule name.
    pub rules: HashMap<String, RuleMeta>,
    /// Blocks that are not valid YAML: (1-based line of the block, reason).
    pub errors: Vec<(usize, String)>,
}

/// Reads every `# METADATA` block of a policy file.
pub fn parse(text: &str) -> FileMeta {
    let mut out = FileMeta::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "# METADATA" {
            i += 1;
            continue;
        }
        let block_line = i + 1;
        let mut yaml = String::new();
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with('#') {
            let body = lines[i].trim_start().trim_start_matches('#');
            yaml.push_str(body.strip_prefix(' ').unwrap_or(body));
            yaml.push('\n');
            i += 1;
        }
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let value = match crate::input::parse_yaml_value(&yaml) {
            Ok(v) => v,
            Err(e) => {
                out.errors.push((block_line, e));
                continue;
            }
        };
        let meta = RuleMeta::from_yaml(&value);
        let scope = value.get("scope").and_then(Value::as_str);
        let next = lines.get(i).map_or("", |l| l.trim_start());
        if next.starts_with("package ") || matches!(scope, Some("package" | "subpackages")) {
            out.package = Some(meta);
        } else {
            let name: String = next
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.rules.insert(name, meta);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_and_rule_scope_blocks() {
        let text = "# METADATA\n# title: Pkg\n# custom:\n#   id: P-1\n#   severity: high\n#   targets: [Pod]\npackage a.b\n\n# METADATA\n# title: Rule\n# custom:\n#   severity: low\ndeny contains msg if { false }\n";
        let meta = parse(text);
        let pkg = meta.package.unwrap();
        assert_eq!(pkg.id.as_deref(), Some("P-1"));
        assert_eq!(pkg.severity, Some(Severity::High));
        assert_eq!(pkg.targets, vec!["Pod".to_string()]);
        let rule = meta.rules["deny"].or(&pkg);
        assert_eq!(rule.title.as_deref(), Some("Rule"));
        assert_eq!(rule.severity, Some(Severity::Low));
        assert_eq!(rule.id.as_deref(), Some("P-1"));
    }
}
