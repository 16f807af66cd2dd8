//! Logs: JSON lines on stdout through `tracing`. One decision line per
//! admission request (uid, operation, kind, namespace/name, user, decision,
//! rule ids, duration) and never an object body, a group list or user extras
//! (which can hold tokens).

use std::time::Duration;

use super::decide::Verdict;
use super::settings::Mode;

/// Installs the JSON subscriber (once per process; later calls do nothing).
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(true)
        .with_writer(std::io::stdout)
        .try_init();
}

/// Who asked for what, as logged.
#[derive(Debug, Default)]
pub struct RequestInfo<'a> {
    /// The request uid.
    pub uid: &'a str,
    /// CREATE, UPDATE, DELETE, CONNECT.
    pub operation: &'a str,
    /// The request's kind.
    pub kind: &'a str,
    /// Namespace (empty for cluster-scoped objects).
    pub namespace: &'a str,
    /// Object name (empty when the API server generates it).
    pub name: &'a str,
    /// `userInfo.username`.
    pub user: &'a str,
    /// Whether the request is a dry run.
    pub dry_run: bool,
}

/// Logs one decision.
pub fn decision(info: &RequestInfo<'_>, mode: Mode, verdict: &Verdict, elapsed: Duration) {
    let rules = verdict.rule_ids().join(",");
    let waived: Vec<&str> = verdict.waived.iter().map(|i| i.rule.as_str()).collect();
    let waived = waived.join(",");
    let errors = verdict.errors.join("; ");
    tracing::info!(
        target: "railyard::decision",
        uid = info.uid,
        operation = info.operation,
        kind = info.kind,
        namespace = info.namespace,
        name = info.name,
        user = info.user,
        dry_run = info.dry_run,
        mode = mode.as_str(),
        decision = verdict.decision.as_str(),
        allowed = verdict.answer.allowed,
        rules = rules.as_str(),
        waived = waived.as_str(),
        errors = errors.as_str(),
        timed_out = verdict.timed_out,
        cached = verdict.cached,
        evaluation_ms = verdict.evaluation.as_secs_f64() * 1e3,
        duration_ms = elapsed.as_secs_f64() * 1e3,
        "decision"
    );
}

/// Logs a request that got no decision (malformed, too large, shed).
pub fn rejected(uid: Option<&str>, code: u16, reason: &str, message: &str, elapsed: Duration) {
    tracing::warn!(
        target: "railyard::decision",
        uid = uid.unwrap_or(""),
        decision = reason,
        code = code,
        error = message,
        duration_ms = elapsed.as_secs_f64() * 1e3,
        "request rejected"
    );
}
