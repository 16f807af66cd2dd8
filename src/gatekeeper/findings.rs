//! Violations as `policy check` findings: the rule id is the constraint's
//! name, the level comes from its `enforcementAction` at the `gator`
//! enforcement point (`deny` a failure, `warn` a warning, `dryrun` reported
//! only), and the location is `details.path` when the template gives one,
//! else the resource's `metadata.name`, as for every other finding.

use std::sync::Arc;

use serde_json::Value;

use super::{Action, EnforcementPoint, GatekeeperSet, Review, Violation};
use crate::engine::{Hit, Level, Rule, RuleMeta, RuleOutput};
use crate::finding::{CheckError, Finding};
use crate::input::{Document, Format, PathSegment};

/// The rule a violation is reported under.
fn rule(violation: &Violation) -> Rule {
    let constraint = &violation.constraint;
    let template = &violation.template;
    Rule {
        package: format!("gatekeeper.{}", template.name),
        name: "violation".into(),
        query: String::new(),
        level: match violation.action {
            Action::Deny => Level::Failure,
            Action::Warn | Action::Dryrun => Level::Warning,
        },
        meta: RuleMeta {
            id: Some(constraint.name.clone()),
            title: template.title.clone(),
            description: template.description.clone(),
            ..RuleMeta::default()
        },
        file: constraint.file.clone(),
        line: constraint.source.line_col(constraint.span.start).line,
    }
}

/// A finding for one violation on one document.
pub fn finding(violation: &Violation, doc: &Document, snippet: bool) -> Finding {
    let details = &violation.details;
    let hit = Hit {
        rule: Arc::new(rule(violation)),
        output: RuleOutput {
            message: violation.message.clone(),
            path: details.get("path").and_then(PathSegment::parse_path),
            id: Some(violation.constraint.name.clone()),
            severity: None,
            details: match details {
                Value::Object(map) if map.is_empty() => None,
                other => Some(other.clone()),
            },
        },
    };
    Finding::new(&hit, doc, snippet)
}

/// Reviews a Kubernetes document with every constraint of the set: its
/// findings, and the constraints that could not review it.
pub fn check(
    set: &GatekeeperSet,
    doc: &Document,
    snippet: bool,
) -> (Vec<Finding>, Vec<CheckError>) {
    if doc.format != Format::Kubernetes || set.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let outcome = set.review(
        &Review::of_object(&doc.value),
        Some(EnforcementPoint::Gator),
    );
    let findings = outcome
        .violations
        .iter()
        .map(|v| finding(v, doc, snippet))
        .collect();
    let errors = outcome
        .errors
        .iter()
        .map(|e| {
            let code = if e.timed_out {
                "evaluation-timeout"
            } else {
                "evaluation-error"
            };
            let mut err = CheckError::at(&doc.source, doc.span, code, e.to_string());
            err.snippet = None;
            err
        })
        .collect();
    (findings, errors)
}
