//! Gatekeeper constraints at admission (see [`crate::gatekeeper`]): the
//! inventory file `--inventory` names, and the review of a CREATE or UPDATE
//! with the request as `input.review`, as Gatekeeper's validating webhook does.
//! `deny` constraints fail the request, `warn` ones warn, `dryrun` ones are
//! only evaluated (as in Gatekeeper, they never change the answer).

use std::path::Path;

use serde_json::{Map, Value};

use super::decide::Item;
use super::settings::DecisionSettings;
use crate::check::{read_target, CheckOptions, Target};
use crate::finding::CheckError;
use crate::gatekeeper::{Action, EnforcementPoint, GatekeeperSet, Inventory, Review};
use crate::input;

/// The set with `data.inventory` read from `path` (`kubectl get -o json`
/// output: a `List`, or any YAML/JSON documents of Kubernetes objects).
pub(crate) fn with_inventory(
    set: GatekeeperSet,
    path: Option<&Path>,
) -> Result<GatekeeperSet, Vec<String>> {
    let Some(path) = path else {
        return Ok(set);
    };
    let line = |e: CheckError| vec![super::reload::error_line(&e)];
    let source =
        read_target(&Target::File(path.to_owned()), &CheckOptions::default()).map_err(line)?;
    let loaded = input::load(&source, input::Limits::default()).map_err(|e| {
        line(match e.span {
            Some(span) => CheckError::at(&source, span, e.code, e.message),
            None => CheckError::file(source.name(), e.code, e.message),
        })
    })?;
    let inventory = Inventory::of(loaded.documents.iter().map(|d| &d.value));
    set.with_inventory(inventory)
        .map_err(|e| vec![format!("{}: {e}", path.display())])
}

/// Whether constraints review a request of this operation: Gatekeeper's
/// webhook is registered for CREATE and UPDATE.
pub(crate) fn runs_for(set: &GatekeeperSet, operation: &str) -> bool {
    !set.is_empty() && matches!(operation, "CREATE" | "UPDATE")
}

/// The review of a request: its fields as sent with its objects put back.
pub(crate) fn review(
    fields: &Map<String, Value>,
    object: Option<&Value>,
    old_object: Option<&Value>,
) -> Option<Review> {
    let mut request = fields.clone();
    request.insert("object".into(), object.cloned().unwrap_or(Value::Null));
    request.insert(
        "oldObject".into(),
        old_object.cloned().unwrap_or(Value::Null),
    );
    Review::of_request(&Value::Object(request)).ok()
}

/// What the constraints said about a request.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Violations of `deny` (failures) and `warn` (warnings) constraints.
    pub items: Vec<Item>,
    /// Constraints that could not review it.
    pub errors: Vec<String>,
    /// Whether the deadline passed.
    pub timed_out: bool,
}

/// Reviews a request with every constraint enforced at the webhook.
pub(crate) fn evaluate(set: &GatekeeperSet, review: &Review, settings: &DecisionSettings) -> Found {
    let outcome = set.review(review, Some(EnforcementPoint::Webhook));
    let items = outcome
        .violations
        .iter()
        .filter(|v| v.action != Action::Dryrun)
        .map(|v| Item {
            rule: v.constraint.name.clone(),
            message: v.message.clone(),
            failure: v.action == Action::Deny && !settings.warn_only.contains(&v.constraint.name),
        })
        .collect();
    Found {
        items,
        timed_out: outcome.errors.iter().any(|e| e.timed_out),
        errors: outcome.errors.iter().map(ToString::to_string).collect(),
    }
}
