//! The rules a report talks about, one entry per rule id, for the formats that
//! describe rules apart from their findings (SARIF's `rules`, JUnit's passing
//! test cases). Several Rego rules can share an id (a package-scope `custom.id`
//! over `deny` and `warn`), and a rule's output can name its own id, so the
//! catalogue is keyed by id, not by Rego rule.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::engine::{Level, Rule, Severity};
use crate::finding::Finding;

/// What is known about one rule id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// The stable id.
    pub id: String,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `custom.remediation`.
    pub remediation: Option<String>,
    /// Its severity when its findings do not say otherwise.
    pub severity: Severity,
    /// Failure when any rule with this id fails, else warning.
    pub level: Level,
    /// The Rego package.
    pub policy: String,
}

/// The severity of a rule's findings when neither its metadata nor its output gives one.
pub fn default_severity(level: Level) -> Severity {
    match level {
        Level::Failure => Severity::Medium,
        Level::Warning => Severity::Low,
    }
}

/// Rule ids in order, each with its description.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: Vec<RuleInfo>,
}

impl Catalog {
    /// The rules of the policy set, plus any id that only findings name.
    pub fn new(rules: &[Arc<Rule>], findings: &[Finding]) -> Catalog {
        let mut by_id: BTreeMap<String, RuleInfo> = BTreeMap::new();
        for rule in rules {
            let info = RuleInfo {
                id: rule.id(),
                title: rule.meta.title.clone(),
                description: rule.meta.description.clone(),
                remediation: rule.meta.remediation.clone(),
                severity: rule
                    .meta
                    .severity
                    .unwrap_or_else(|| default_severity(rule.level)),
                level: rule.level,
                policy: rule.package.clone(),
            };
            merge(&mut by_id, info);
        }
        for f in findings {
            if by_id.contains_key(&f.rule) {
                continue;
            }
            let info = RuleInfo {
                id: f.rule.clone(),
                title: f.title.clone(),
                description: None,
                remediation: f.remediation.clone(),
                severity: f.severity,
                level: f.level,
                policy: f.policy.clone(),
            };
            merge(&mut by_id, info);
        }
        Catalog {
            entries: by_id.into_values().collect(),
        }
    }

    /// The entries, sorted by id.
    pub fn entries(&self) -> &[RuleInfo] {
        &self.entries
    }

    /// The position of an id in [`Catalog::entries`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
    }
}

/// Keeps the first description of an id, but a failing rule makes the id a failure.
fn merge(by_id: &mut BTreeMap<String, RuleInfo>, info: RuleInfo) {
    match by_id.get_mut(&info.id) {
        Some(known) => {
            if info.level == Level::Failure && known.level == Level::Warning {
                known.level = Level::Failure;
                known.severity = known.severity.min(info.severity);
            }
        }
        None => {
            by_id.insert(info.id.clone(), info);
        }
    }
}

/// The ids of the rules that are evaluated for a document of this format and kind.
pub fn applicable_ids(rules: &[Arc<Rule>], format: &str, kind: Option<&str>) -> BTreeSet<String> {
    rules
        .iter()
        .filter(|r| r.applies_to(format, kind))
        .map(|r| r.id())
        .collect()
}
