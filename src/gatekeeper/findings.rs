//! Violations as `policy check` findings: the rule id is the constraint's
//! name, the level comes from its `enforcementAction` at the `gator`
//! enforcement point (`deny` a failure, `warn` a warning, `dryrun` reported
//! only, the way waived findings are), and the location is `details.path`
//! when the template gives one, else the resource's `metadata.name`, as for
//! every other finding.

use std::sync::Arc;

use serde_json::Value;

use super::{Action, EnforcementPoint, GatekeeperSet, Review, ReviewError, Violation};
use crate::engine::{Hit, Level, Rule, RuleMeta, RuleOutput};
use crate::finding::Finding;
use crate::input::{Document, Format, PathSegment};
use crate::waiver::Waived;

/// The rule a violation is reported under.
fn rule(violation: &Violation) -> Rule {
    let constraint = &violation.constraint;
    let template = &violation.template;
    Rule {
        package: format!("gatekeeper.{}", template.name),
        name: "violation".into(),
        query: String::new(),
        level: match violation.action {
            // A dry-run violation is what would fail if the constraint were enforced.
            Action::Deny | Action::Dryrun => Level::Failure,
            Action::Warn => Level::Warning,
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
    let mut finding = Finding::new(&hit, doc, snippet);
    if violation.action == Action::Dryrun {
        let constraint = &violation.constraint;
        finding.waiver = Some(Arc::new(Waived {
            by: "dryrun",
            owner: None,
            reason: format!(
                "constraint {} has enforcementAction: dryrun (reported only)",
                constraint.name
            ),
            expires: None,
            file: constraint.file.clone(),
            line: constraint.source.line_col(constraint.span.start).line,
        }));
    }
    finding
}

/// Reviews a Kubernetes document with every constraint of the set: its
/// findings, and the constraints that could not review it.
pub fn check(
    set: &GatekeeperSet,
    doc: &Document,
    snippet: bool,
) -> (Vec<Finding>, Vec<ReviewError>) {
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
    (findings, outcome.errors)
}
