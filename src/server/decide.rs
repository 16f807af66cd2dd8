//! From an admission request to an answer: exemptions, which rules run for
//! which operation, evaluation with `data.railyard.context`, then the mode
//! (enforce, warn, dry-run) and the failure mode applied to the findings.
//! Pure and synchronous: the HTTP layer runs it under a slot, off the reactor.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use kube_core::admission::{AdmissionRequest, Operation};
use kube_core::DynamicObject;
use serde_json::{json, Value};

use super::admission::{operation_name, Answer, OldObject, Review};
use super::cache::DecisionCache;
use super::gatekeeper;
use super::settings::{DecisionSettings, FailureMode, Mode};
use super::state::Bundle;
use crate::engine::{Context, EvalOptions, Level, Rule};
use crate::input::Resource;
use crate::waiver::{self, WaiverSet};

/// Longest warning sent back (the API server asks for under 120 characters).
pub const MAX_WARNING_CHARS: usize = 119;
/// Most warnings sent back; the rest are summarized in one more.
pub const MAX_WARNINGS: usize = 20;
/// Most failure lines in a denial message.
const MAX_MESSAGE_LINES: usize = 50;

/// What happened to a request; a label in metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Evaluated: no failures and no warnings.
    Allow,
    /// Evaluated: allowed with warnings (warnings, or failures in warn mode).
    Warn,
    /// Evaluated: denied (enforce mode).
    Deny,
    /// Evaluated in dry-run mode with failures: allowed, logged.
    WouldDeny,
    /// Not evaluated: the namespace is exempt.
    Exempt,
    /// Not evaluated: no rule applies to this operation or subresource.
    Skip,
    /// Evaluation failed or hit the deadline; allowed per failure-mode.
    ErrorAllow,
    /// Evaluation failed or hit the deadline; denied per failure-mode.
    ErrorDeny,
}

impl Decision {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Warn => "warn",
            Decision::Deny => "deny",
            Decision::WouldDeny => "would_deny",
            Decision::Exempt => "exempt",
            Decision::Skip => "skip",
            Decision::ErrorAllow => "error_allow",
            Decision::ErrorDeny => "error_deny",
        }
    }
}

/// One finding as the webhook reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// Rule id, as in `policy check` output.
    pub rule: String,
    /// The rule's message.
    pub message: String,
    /// Failure or warning (after `--warn-only`).
    pub failure: bool,
}

/// The outcome of one request.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// What happened.
    pub decision: Decision,
    /// What to send back.
    pub answer: Answer,
    /// Findings, sorted.
    pub items: Vec<Item>,
    /// Findings a waiver accepts: logged, not enforced.
    pub waived: Vec<Item>,
    /// Evaluation errors (messages).
    pub errors: Vec<String>,
    /// Whether the deadline was hit.
    pub timed_out: bool,
    /// Time spent evaluating (zero when not evaluated).
    pub evaluation: Duration,
    /// Whether it is the remembered verdict of an identical object.
    pub cached: bool,
}

impl Verdict {
    fn unevaluated(decision: Decision) -> Verdict {
        Verdict {
            decision,
            answer: Answer {
                allowed: true,
                ..Answer::default()
            },
            items: Vec::new(),
            waived: Vec::new(),
            errors: Vec::new(),
            timed_out: false,
            evaluation: Duration::ZERO,
            cached: false,
        }
    }

    /// The rule ids of the findings, de-duplicated, in order.
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.items.iter().map(|i| i.rule.as_str()).collect();
        ids.dedup();
        ids
    }
}

/// Whether a rule runs for an operation: `custom.operations` lists them
/// (`*` for all); with none listed, CREATE and UPDATE. DELETE and CONNECT
/// therefore need an explicit opt-in.
pub fn rule_runs_for(rule: &Rule, operation: &str) -> bool {
    if rule.meta.operations.is_empty() {
        return matches!(operation, "CREATE" | "UPDATE");
    }
    rule.meta
        .operations
        .iter()
        .any(|op| op == "*" || op.eq_ignore_ascii_case(operation))
}

/// `data.railyard.context` for a request, built only if a policy reads it.
fn context(
    request: &AdmissionRequest<DynamicObject>,
    user_info: Value,
    old_object: Option<OldObject>,
) -> Context {
    let known = json!({
        "operation": operation_name(&request.operation),
        "userInfo": user_info,
        "dryRun": request.dry_run,
        "namespace": request.namespace.clone().unwrap_or_default(),
        "name": request.name,
        "kind": {"group": request.kind.group, "version": request.kind.version, "kind": request.kind.kind},
        "resource": {"group": request.resource.group, "version": request.resource.version, "resource": request.resource.resource},
        "subResource": request.sub_resource.clone().unwrap_or_default(),
    });
    Context::lazy(move || {
        let mut context = known.clone();
        context["oldObject"] = old_object.as_ref().map_or(Value::Null, OldObject::value);
        context
    })
}

/// Decides one request.
pub fn decide(
    bundle: &Bundle,
    settings: &DecisionSettings,
    cache: &DecisionCache,
    review: Review,
) -> Verdict {
    let Review {
        request,
        object,
        old_object,
        user_info,
        fields,
    } = review;
    if let Some(ns) = request.namespace.as_deref() {
        if settings.exempt_namespaces.contains(ns) {
            return Verdict::unevaluated(Decision::Exempt);
        }
    }
    // Status writes come from controllers and the kubelet and cannot change a
    // spec; blocking them would wedge objects that were admitted earlier.
    if request.sub_resource.as_deref() == Some("status") {
        return Verdict::unevaluated(Decision::Skip);
    }
    let operation = operation_name(&request.operation);
    let policies = &bundle.policies;
    // Gatekeeper constraints see the request itself as input.review.
    let constraints = gatekeeper::runs_for(&bundle.gatekeeper, operation)
        .then(|| {
            let old = old_object.as_ref().map(OldObject::value);
            gatekeeper::review(&fields, object.as_ref(), old.as_ref())
        })
        .flatten();
    if constraints.is_none() && !policies.rules().iter().any(|r| rule_runs_for(r, operation)) {
        return Verdict::unevaluated(Decision::Skip);
    }
    // DELETE has no object: the rules that opted in see the object being deleted.
    let input = if request.operation == Operation::Delete {
        match old_object.as_ref().map(OldObject::value) {
            Some(v) if v.is_object() => v,
            _ => return Verdict::unevaluated(Decision::Skip),
        }
    } else {
        match object {
            Some(v) => v,
            None => return Verdict::unevaluated(Decision::Skip),
        }
    };
    // Gatekeeper reviews see the whole request, not only the object: not cached.
    let key = (bundle.cacheable && constraints.is_none())
        .then(|| {
            cache.key(
                bundle.generation,
                operation,
                request.namespace.as_deref(),
                &input,
            )
        })
        .flatten();
    if let Some(verdict) = key.as_ref().and_then(|k| cache.get(k)) {
        return Verdict {
            cached: true,
            evaluation: Duration::ZERO,
            ..verdict
        };
    }
    let kind = input.get("kind").and_then(Value::as_str).map(str::to_owned);
    let select = |rule: &Rule| rule_runs_for(rule, operation);
    let started = Instant::now();
    let evaluation = policies.evaluate_with(
        &input,
        "kubernetes",
        kind.as_deref(),
        &EvalOptions {
            context: Some(context(&request, user_info, old_object)),
            select: Some(&select),
        },
    );
    let found = constraints
        .map(|review| gatekeeper::evaluate(&bundle.gatekeeper, &review, settings))
        .unwrap_or_default();
    let elapsed = started.elapsed();
    let mut items: Vec<Item> = evaluation
        .hits
        .iter()
        .map(|hit| {
            let rule = hit.output.id.clone().unwrap_or_else(|| hit.rule.id());
            let failure = hit.rule.level == Level::Failure && !settings.warn_only.contains(&rule);
            Item {
                rule,
                message: hit.output.message.clone(),
                failure,
            }
        })
        .collect();
    items.extend(found.items);
    items.sort();
    items.dedup();
    let (items, waived) = match &bundle.waivers {
        Some(waivers) => waive(waivers, &input, request.namespace.as_deref(), items),
        None => (items, Vec::new()),
    };
    let mut errors: Vec<String> = evaluation.errors.iter().map(|e| e.to_string()).collect();
    errors.extend(found.errors);
    let timed_out = evaluation.errors.iter().any(|e| e.timed_out) || found.timed_out;
    let mut verdict = apply_mode(settings, items, errors, timed_out);
    verdict.waived = waived;
    verdict.evaluation = elapsed;
    if let Some(key) = key {
        cache.put(key, &verdict);
    }
    verdict
}

/// Splits off the findings an active waiver accepts (DESIGN section 6): the
/// same waiver file as in CI, matched on the object's kind, namespace and
/// name (waivers that select by file do not apply here: there is no file).
fn waive(
    waivers: &WaiverSet,
    object: &Value,
    namespace: Option<&str>,
    items: Vec<Item>,
) -> (Vec<Item>, Vec<Item>) {
    let text = |p: &str| object.pointer(p).and_then(Value::as_str).map(str::to_owned);
    let resource = Resource {
        api_version: text("/apiVersion"),
        kind: text("/kind"),
        // The API server may leave the object's namespace out on CREATE.
        namespace: text("/metadata/namespace").or(namespace.map(str::to_owned)),
        name: text("/metadata/name"),
        ..Resource::default()
    };
    let today = waiver::today();
    items
        .into_iter()
        .partition(|item| waivers.find(&item.rule, &resource, None, today).is_none())
}

fn apply_mode(
    settings: &DecisionSettings,
    items: Vec<Item>,
    errors: Vec<String>,
    timed_out: bool,
) -> Verdict {
    let failures: Vec<&Item> = items.iter().filter(|i| i.failure).collect();
    let mut answer = Answer {
        allowed: true,
        ..Answer::default()
    };
    let decision = match settings.mode {
        Mode::DryRun => {
            if !failures.is_empty() {
                Decision::WouldDeny
            } else if !errors.is_empty() {
                Decision::ErrorAllow
            } else {
                Decision::Allow
            }
        }
        Mode::Warn => {
            answer.warnings = warnings(items.iter(), &errors);
            if !errors.is_empty() {
                Decision::ErrorAllow
            } else if answer.warnings.is_empty() {
                Decision::Allow
            } else {
                Decision::Warn
            }
        }
        Mode::Enforce => {
            answer.warnings = warnings(items.iter().filter(|i| !i.failure), &[]);
            if !failures.is_empty() {
                answer.allowed = false;
                answer.code = 403;
                answer.reason = "Forbidden";
                answer.message = denial(&failures, &errors);
                Decision::Deny
            } else if !errors.is_empty() {
                match settings.failure_mode {
                    FailureMode::Deny => {
                        answer.allowed = false;
                        answer.code = 500;
                        answer.reason = "InternalError";
                        answer.message = format!(
                            "Railyard could not evaluate this request (failure-mode deny): {}",
                            errors.join("; ")
                        );
                        Decision::ErrorDeny
                    }
                    FailureMode::Allow => {
                        answer.warnings = warnings(items.iter().filter(|i| !i.failure), &errors);
                        Decision::ErrorAllow
                    }
                }
            } else if answer.warnings.is_empty() {
                Decision::Allow
            } else {
                Decision::Warn
            }
        }
    };
    Verdict {
        decision,
        answer,
        items,
        waived: Vec::new(),
        errors,
        timed_out,
        evaluation: Duration::ZERO,
        cached: false,
    }
}

/// The denial message: one line per failure, `[RULE-ID] message`.
fn denial(failures: &[&Item], errors: &[String]) -> String {
    let mut lines: Vec<String> = failures
        .iter()
        .take(MAX_MESSAGE_LINES)
        .map(|i| format!("[{}] {}", i.rule, i.message))
        .collect();
    if failures.len() > MAX_MESSAGE_LINES {
        lines.push(format!(
            "... and {} more failures",
            failures.len() - MAX_MESSAGE_LINES
        ));
    }
    for e in errors {
        lines.push(format!("[railyard] evaluation error: {e}"));
    }
    lines.join("\n")
}

/// Warnings for the API server: `[RULE-ID] message`, one line each, short.
fn warnings<'i>(items: impl Iterator<Item = &'i Item>, errors: &[String]) -> Vec<String> {
    let mut out: Vec<String> = items
        .map(|i| format!("[{}] {}", i.rule, i.message))
        .chain(
            errors
                .iter()
                .map(|e| format!("[railyard] not fully evaluated: {e}")),
        )
        .map(|w| shorten(&w))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if out.len() > MAX_WARNINGS {
        let more = out.len() - (MAX_WARNINGS - 1);
        out.truncate(MAX_WARNINGS - 1);
        out.push(format!("[railyard] {more} more warnings not shown"));
    }
    out
}

/// One line, no control characters, at most [`MAX_WARNING_CHARS`] characters.
pub fn shorten(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() <= MAX_WARNING_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(MAX_WARNING_CHARS - 3).collect();
    cut.push_str("...");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(rule: &str, failure: bool) -> Item {
        Item {
            rule: rule.into(),
            message: format!("{rule} says no"),
            failure,
        }
    }

    fn settings(mode: Mode, failure_mode: FailureMode) -> DecisionSettings {
        DecisionSettings {
            mode,
            failure_mode,
            ..DecisionSettings::default()
        }
    }

    #[test]
    fn modes() {
        let items = vec![item("A", true), item("B", false)];
        let v = apply_mode(
            &settings(Mode::Enforce, FailureMode::Deny),
            items.clone(),
            vec![],
            false,
        );
        assert_eq!(v.decision, Decision::Deny);
        assert_eq!(v.answer.code, 403);
        assert_eq!(v.answer.message, "[A] A says no");
        assert_eq!(v.answer.warnings, ["[B] B says no"]);
        let v = apply_mode(
            &settings(Mode::Warn, FailureMode::Deny),
            items.clone(),
            vec![],
            false,
        );
        assert!(v.answer.allowed);
        assert_eq!(v.answer.warnings.len(), 2);
        let v = apply_mode(
            &settings(Mode::DryRun, FailureMode::Deny),
            items,
            vec![],
            false,
        );
        assert_eq!(v.decision, Decision::WouldDeny);
        assert!(v.answer.allowed && v.answer.warnings.is_empty());
    }

    #[test]
    fn failure_modes() {
        let e = vec!["boom".to_string()];
        let v = apply_mode(
            &settings(Mode::Enforce, FailureMode::Deny),
            vec![],
            e.clone(),
            false,
        );
        assert_eq!((v.decision, v.answer.code), (Decision::ErrorDeny, 500));
        let v = apply_mode(
            &settings(Mode::Enforce, FailureMode::Allow),
            vec![],
            e,
            false,
        );
        assert_eq!(v.decision, Decision::ErrorAllow);
        assert!(v.answer.allowed);
        assert!(v.answer.warnings[0].contains("boom"));
    }

    #[test]
    fn warnings_are_short_single_lines_and_capped() {
        let long = shorten(&format!("x\ny{}", "z".repeat(300)));
        assert_eq!(long.chars().count(), MAX_WARNING_CHARS);
        assert!(!long.contains('\n') && long.ends_with("..."));
        let many: Vec<Item> = (0..50).map(|i| item(&format!("R{i:02}"), false)).collect();
        let w = warnings(many.iter(), &[]);
        assert_eq!(w.len(), MAX_WARNINGS);
        assert!(w.last().unwrap().contains("31 more"));
    }
}
