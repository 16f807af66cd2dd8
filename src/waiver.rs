//! Waivers (DESIGN.md section 6): accepted exceptions, kept in the policy
//! repository so that they are reviewed like code. A waiver names a rule and
//! the resources or files it covers, who owns the exception, why, and until
//! when. A waived finding is still reported, as waived, and does not fail the
//! run; an expired waiver stops applying and says so; a waiver that matches
//! nothing is reported as stale so that the file does not rot.
//!
//! ```yaml
//! waivers:
//!   - rule: K8S-POD-001            # a rule id, or a glob of ids
//!     kind: Deployment             # selectors: kind, namespace, name, file (globs)
//!     namespace: legacy
//!     name: billing-*
//!     owner: payments-team@example.com
//!     reason: vendor agent needs privileged mode until v5 (TICKET-123)
//!     expires: 2027-03-31          # the last day it applies (UTC)
//! ```
//!
//! For Terraform and cloud resources, `kind` also matches the resource type
//! and `name` the address (or CloudFormation logical id).

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::engine::ExceptionRule;
use crate::finding::{CheckError, Finding, InputNotice};
use crate::glob::Glob;
use crate::input::{self, Document, Limits, PathSegment, Resource};
use crate::source::{self, SourceFile};

/// What accepted a finding, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waived {
    /// `waiver` (an entry of the waiver file) or `exception` (a Conftest
    /// `exception` rule of the policy's package).
    pub by: &'static str,
    /// Who owns the exception (waivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Why it is accepted.
    pub reason: String,
    /// The last day it applies (waivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The waiver file, or the policy file of the exception rule.
    pub file: String,
    /// The waiver's (or the exception rule's) line in it.
    pub line: usize,
}

impl Waived {
    /// A finding excepted by a Conftest `exception` rule.
    pub fn exception(rule: &ExceptionRule) -> Waived {
        Waived {
            by: "exception",
            owner: None,
            reason: format!("excepted by data.{}.exception", rule.package),
            expires: None,
            file: rule.file.clone(),
            line: rule.line,
        }
    }

    /// `owner X, until D: reason` (the parts it has).
    pub fn describe(&self) -> String {
        match (&self.owner, &self.expires) {
            (Some(owner), Some(expires)) => {
                format!("owner {owner}, until {expires}: {}", self.reason)
            }
            _ => self.reason.clone(),
        }
    }
}

/// One entry of a waiver file.
#[derive(Debug, Clone)]
pub struct Waiver {
    rule: Glob,
    kind: Option<Glob>,
    namespace: Option<Glob>,
    name: Option<Glob>,
    file: Option<Glob>,
    expires: NaiveDate,
    shown: Arc<Waived>,
    column: usize,
}

const KEYS: [&str; 8] = [
    "rule",
    "kind",
    "namespace",
    "name",
    "file",
    "owner",
    "reason",
    "expires",
];

impl Waiver {
    /// Whether the waiver covers a rule on a resource in a file (`None`: the
    /// webhook, where there is no file; a waiver that selects by file does
    /// not apply there).
    pub fn covers(&self, rule: &str, resource: &Resource, file: Option<&str>) -> bool {
        let any = |glob: &Option<Glob>, values: &[&Option<String>]| {
            glob.as_ref().is_none_or(|g| {
                values
                    .iter()
                    .any(|v| v.as_deref().is_some_and(|v| g.matches(v)))
            })
        };
        self.rule.matches(rule)
            && any(&self.kind, &[&resource.kind, &resource.resource_type])
            && any(&self.namespace, &[&resource.namespace])
            && any(
                &self.name,
                &[&resource.name, &resource.address, &resource.logical_id],
            )
            && self
                .file
                .as_ref()
                .is_none_or(|g| file.is_some_and(|f| g.matches_path(f)))
    }

    /// Whether it still applies on `today`.
    pub fn active_on(&self, today: NaiveDate) -> bool {
        today <= self.expires
    }

    /// How reports show it.
    pub fn shown(&self) -> &Arc<Waived> {
        &self.shown
    }

    fn notice(&self, code: &'static str, message: String) -> InputNotice {
        InputNotice {
            file: self.shown.file.clone(),
            line: self.shown.line,
            column: self.column,
            code,
            message,
        }
    }
}

/// The waivers of one file.
#[derive(Debug, Clone, Default)]
pub struct WaiverSet {
    waivers: Vec<Waiver>,
}

/// What applying waivers to a run found beyond the findings it waived.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Expired waivers (they no longer apply) and stale ones (they matched nothing).
    pub notices: Vec<InputNotice>,
}

/// Today's date in UTC, the day waivers are judged on.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

impl WaiverSet {
    /// Reads a waiver file; every invalid entry is reported, with its line.
    pub fn load(path: &Path) -> Result<WaiverSet, Vec<CheckError>> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            vec![CheckError::file(
                &name,
                "waivers-unreadable",
                format!("cannot read the waiver file: {e}"),
            )]
        })?;
        let text = source::decode(bytes)
            .map_err(|e| vec![CheckError::file(&name, "waiver-invalid", e.to_string())])?;
        WaiverSet::parse(&SourceFile::new(name, text))
    }

    /// Parses the text of a waiver file: a list of waivers, or a mapping with
    /// a `waivers` list.
    pub fn parse(source: &Arc<SourceFile>) -> Result<WaiverSet, Vec<CheckError>> {
        let loaded = input::load(source, Limits::default()).map_err(|e| {
            vec![match e.span {
                Some(span) => CheckError::at(source, span, "waiver-invalid", e.message),
                None => CheckError::file(source.name(), "waiver-invalid", e.message),
            }]
        })?;
        let mut set = WaiverSet::default();
        let mut errors = Vec::new();
        for doc in &loaded.documents {
            let (list, prefix) = match &doc.value {
                Value::Array(items) => (items, vec![]),
                Value::Object(map) => match map.get("waivers") {
                    Some(Value::Array(items)) => (items, vec![PathSegment::Key("waivers".into())]),
                    _ => {
                        errors.push(error_at(
                            doc,
                            &[],
                            "expected a list of waivers, or a mapping with a `waivers` list",
                        ));
                        continue;
                    }
                },
                Value::Null => continue,
                _ => {
                    errors.push(error_at(doc, &[], "expected a list of waivers"));
                    continue;
                }
            };
            for (i, entry) in list.iter().enumerate() {
                let mut path = prefix.clone();
                path.push(PathSegment::Index(i));
                match read_entry(doc, entry, &path) {
                    Ok(w) => set.waivers.push(w),
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// The waivers, in file order.
    pub fn waivers(&self) -> &[Waiver] {
        &self.waivers
    }

    /// The first waiver active on `today` that covers a rule on a resource.
    pub fn find(
        &self,
        rule: &str,
        resource: &Resource,
        file: Option<&str>,
        today: NaiveDate,
    ) -> Option<&Waiver> {
        self.waivers
            .iter()
            .find(|w| w.active_on(today) && w.covers(rule, resource, file))
    }

    /// Marks the findings that an active waiver covers, and reports expired
    /// and stale waivers.
    pub fn apply(&self, findings: &mut [Finding], today: NaiveDate) -> Outcome {
        let mut used = vec![false; self.waivers.len()];
        for finding in findings.iter_mut() {
            let hit = self.waivers.iter().enumerate().find(|(_, w)| {
                w.active_on(today)
                    && w.covers(&finding.rule, &finding.resource, Some(&finding.file))
            });
            if let Some((i, w)) = hit {
                used[i] = true;
                finding.waiver = Some(w.shown.clone());
            }
        }
        let mut outcome = Outcome::default();
        for (w, used) in self.waivers.iter().zip(used) {
            let (code, what) = match (w.active_on(today), used) {
                (false, _) => (
                    "waiver-expired",
                    "has expired; its findings count again: renew it or fix them",
                ),
                (true, false) => (
                    "waiver-stale",
                    "matched no finding; remove it if the exception is no longer needed",
                ),
                (true, true) => continue,
            };
            let message = format!(
                "waiver for {} ({}) {what}",
                w.rule.as_str(),
                w.shown.describe()
            );
            outcome.notices.push(w.notice(code, message));
        }
        outcome
    }
}

fn error_at(doc: &Document, path: &[PathSegment], message: impl Into<String>) -> CheckError {
    let (span, _) = doc.locate(Some(path));
    CheckError::at(&doc.source, span, "waiver-invalid", message)
}

fn read_entry(
    doc: &Document,
    entry: &Value,
    path: &[PathSegment],
) -> Result<Waiver, Vec<CheckError>> {
    let Value::Object(map) = entry else {
        return Err(vec![error_at(doc, path, "a waiver must be a mapping")]);
    };
    let mut errors = Vec::new();
    let at = |key: &str| {
        let mut p = path.to_vec();
        p.push(PathSegment::Key(key.to_owned()));
        p
    };
    for key in map.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        errors.push(error_at(
            doc,
            &at(key),
            format!("unknown key `{key}` (expected {})", KEYS.join(", ")),
        ));
    }
    let mut text = |key: &str, required: bool| -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            None if !required => None,
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => {
                errors.push(error_at(
                    doc,
                    &at(key),
                    format!("`{key}` is required and must be a non-empty string"),
                ));
                None
            }
        }
    };
    let rule = text("rule", true);
    let owner = text("owner", true);
    let reason = text("reason", true);
    let expires = text("expires", true);
    let selectors: Vec<(&str, Option<String>)> = ["kind", "namespace", "name", "file"]
        .into_iter()
        .map(|k| (k, text(k, false)))
        .collect();
    let mut glob = |key: &str, pattern: Option<String>| {
        pattern.and_then(|p| {
            Glob::new(&p)
                .map_err(|why| errors.push(error_at(doc, &at(key), why)))
                .ok()
        })
    };
    let rule = glob("rule", rule);
    let mut compiled = selectors
        .into_iter()
        .map(|(k, p)| glob(k, p))
        .collect::<Vec<_>>()
        .into_iter();
    let (kind, namespace, name, file) = (
        compiled.next().flatten(),
        compiled.next().flatten(),
        compiled.next().flatten(),
        compiled.next().flatten(),
    );
    if ["kind", "namespace", "name", "file"]
        .iter()
        .all(|k| !map.contains_key(*k))
    {
        errors.push(error_at(
            doc,
            path,
            "a waiver needs at least one selector (kind, namespace, name or file); use `name: \"*\"` to waive a rule everywhere",
        ));
    }
    let date = expires.as_deref().and_then(|e| {
        NaiveDate::parse_from_str(e, "%Y-%m-%d")
            .map_err(|_| {
                errors.push(error_at(
                    doc,
                    &at("expires"),
                    format!("`expires` must be a date as YYYY-MM-DD, not `{e}`"),
                ))
            })
            .ok()
    });
    let (Some(rule), Some(owner), Some(reason), Some(expires), Some(date), true) =
        (rule, owner, reason, expires, date, errors.is_empty())
    else {
        return Err(errors);
    };
    let (span, _) = doc.locate(Some(path));
    let start = doc.source.line_col(span.start);
    Ok(Waiver {
        rule,
        kind,
        namespace,
        name,
        file,
        expires: date,
        shown: Arc::new(Waived {
            by: "waiver",
            owner: Some(owner),
            reason,
            expires: Some(expires),
            file: doc.source.name().to_owned(),
            line: start.line,
        }),
        column: start.column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<WaiverSet, Vec<CheckError>> {
        WaiverSet::parse(&SourceFile::new("waivers.yaml".to_owned(), text.to_owned()))
    }

    fn resource(kind: &str, namespace: &str, name: &str) -> Resource {
        Resource {
            kind: Some(kind.into()),
            namespace: Some(namespace.into()),
            name: Some(name.into()),
            ..Resource::default()
        }
    }

    const VALID: &str = "waivers:\n  - rule: K8S-POD-*\n    kind: Deployment\n    name: billing-*\n    owner: payments\n    reason: vendor agent\n    expires: 2027-03-31\n";

    #[test]
    fn selectors_are_globs_and_all_must_match() {
        let set = parse(VALID).expect("valid");
        let day = NaiveDate::from_ymd_opt(2027, 3, 31).expect("date");
        let web = resource("Deployment", "prod", "billing-api");
        assert!(set.find("K8S-POD-001", &web, None, day).is_some());
        assert!(set.find("K8S-BP-001", &web, None, day).is_none());
        assert!(set
            .find(
                "K8S-POD-001",
                &resource("StatefulSet", "prod", "billing-db"),
                None,
                day
            )
            .is_none());
        let next_day = day.succ_opt().expect("date");
        assert!(
            set.find("K8S-POD-001", &web, None, next_day).is_none(),
            "the expiry date is the last day a waiver applies"
        );
    }

    #[test]
    fn a_waiver_without_owner_reason_or_a_valid_expiry_is_an_error_with_its_line() {
        let errors = parse(
            "- rule: K8S-POD-001\n  name: x\n  reason: r\n  expires: 2027-13-01\n  ownr: typo\n",
        )
        .expect_err("invalid");
        let mut seen: Vec<(Option<usize>, bool)> = errors
            .iter()
            .map(|e| (e.line, e.code == "waiver-invalid"))
            .collect();
        seen.sort();
        // Missing owner points at the entry (line 1), the bad date at line 4, the unknown key at line 5.
        assert_eq!(
            seen,
            vec![(Some(1), true), (Some(4), true), (Some(5), true)],
            "{errors:?}"
        );
        let errors = parse("- rule: K8S-POD-001\n  owner: o\n  reason: r\n  expires: 2027-01-01\n")
            .expect_err("no selector");
        assert!(errors[0].message.contains("selector"), "{errors:?}");
    }
}
