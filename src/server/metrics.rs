//! Prometheus metrics, served on the probe port at `/metrics` (OpenMetrics text).
//! Label values are bounded: operations, kinds the cluster sends, decisions
//! from a fixed list, rule ids of the loaded policies.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};

/// Labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// CREATE, UPDATE, DELETE, CONNECT (empty when the body could not be read).
    pub operation: String,
    /// The request's `kind.kind` (empty when unknown).
    pub kind: String,
    /// The decision (see `Decision`).
    pub decision: String,
}

/// Labels of a reload.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    /// `success` or `failure`.
    pub result: String,
}

/// Labels of a rule's findings.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RuleLabels {
    /// Rule id.
    pub rule: String,
    /// `failure` or `warning`.
    pub level: String,
}

/// Every metric the webhook exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Requests by operation, kind and decision.
    pub requests: Family<RequestLabels, Counter>,
    /// Time spent evaluating one request's object.
    pub evaluation_seconds: Histogram,
    /// Time from the request's arrival to its answer.
    pub request_seconds: Histogram,
    /// Evaluations that failed with an error.
    pub evaluation_errors: Counter,
    /// Evaluations that hit the deadline.
    pub evaluation_timeouts: Counter,
    /// Findings by rule and level (whatever the mode: what enforce would deny).
    pub findings: Family<RuleLabels, Counter>,
    /// Policy reloads by result.
    pub policy_reloads: Family<ResultLabels, Counter>,
    /// Certificate reloads by result.
    pub certificate_reloads: Family<ResultLabels, Counter>,
    /// 1 when the last policy reload succeeded (or none was tried), 0 when the
    /// policies on disk are broken and an older set is serving.
    pub policy_reload_ok: Gauge,
    /// 1 when the last certificate reload succeeded (or none was tried).
    pub certificate_reload_ok: Gauge,
    /// Rules (deny/violation/warn) in the serving policy set.
    pub loaded_rules: Gauge,
    /// Requests admitted and not yet answered (running or queued).
    pub in_flight: Gauge,
    /// Requests answered with the remembered verdict of an identical object.
    pub cache_hits: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Creates and registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "railyard_admission_requests",
            "Admission requests by operation, kind and decision",
            requests.clone(),
        );
        // 250 µs to about 4 s.
        let evaluation_seconds = Histogram::new(exponential_buckets(0.00025, 2.0, 15));
        registry.register_with_unit(
            "railyard_evaluation_duration",
            "Time to evaluate one admission request against the policies",
            Unit::Seconds,
            evaluation_seconds.clone(),
        );
        let request_seconds = Histogram::new(exponential_buckets(0.00025, 2.0, 15));
        registry.register_with_unit(
            "railyard_request_duration",
            "Time from reading an admission request to answering it, queueing included",
            Unit::Seconds,
            request_seconds.clone(),
        );
        let evaluation_errors = Counter::default();
        registry.register(
            "railyard_evaluation_errors",
            "Evaluations that failed with an error (answered per failure-mode)",
            evaluation_errors.clone(),
        );
        let evaluation_timeouts = Counter::default();
        registry.register(
            "railyard_evaluation_timeouts",
            "Evaluations that hit the deadline (answered per failure-mode)",
            evaluation_timeouts.clone(),
        );
        let findings = Family::<RuleLabels, Counter>::default();
        registry.register(
            "railyard_findings",
            "Findings by rule id and level, in every mode (what enforce mode would deny)",
            findings.clone(),
        );
        let policy_reloads = Family::<ResultLabels, Counter>::default();
        registry.register(
            "railyard_policy_reloads",
            "Policy reloads after a change on disk, by result",
            policy_reloads.clone(),
        );
        let certificate_reloads = Family::<ResultLabels, Counter>::default();
        registry.register(
            "railyard_certificate_reloads",
            "Certificate reloads after a change on disk, by result",
            certificate_reloads.clone(),
        );
        let policy_reload_ok = Gauge::default();
        policy_reload_ok.set(1);
        registry.register(
            "railyard_policy_reload_ok",
            "1 when the policies on disk are the ones serving, 0 when the last reload failed",
            policy_reload_ok.clone(),
        );
        let certificate_reload_ok = Gauge::default();
        certificate_reload_ok.set(1);
        registry.register(
            "railyard_certificate_reload_ok",
            "1 when the certificate on disk is the one serving, 0 when the last reload failed",
            certificate_reload_ok.clone(),
        );
        let loaded_rules = Gauge::default();
        registry.register(
            "railyard_loaded_rules",
            "Rules (deny, violation, warn) in the serving policy set",
            loaded_rules.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "railyard_requests_in_flight",
            "Admission requests running or waiting for an evaluation slot",
            in_flight.clone(),
        );
        let cache_hits = Counter::default();
        registry.register(
            "railyard_decision_cache_hits",
            "Requests answered with the remembered verdict of an identical object",
            cache_hits.clone(),
        );
        // Both results exist from the start, so that rates and alerts see a 0.
        for family in [&policy_reloads, &certificate_reloads] {
            for result in ["success", "failure"] {
                let _ = family.get_or_create(&ResultLabels {
                    result: result.to_owned(),
                });
            }
        }
        Metrics {
            registry,
            requests,
            evaluation_seconds,
            request_seconds,
            evaluation_errors,
            evaluation_timeouts,
            findings,
            policy_reloads,
            certificate_reloads,
            policy_reload_ok,
            certificate_reload_ok,
            loaded_rules,
            in_flight,
            cache_hits,
        }
    }

    /// Counts one answered request.
    pub fn request(&self, operation: &str, kind: &str, decision: &str) {
        self.requests
            .get_or_create(&RequestLabels {
                operation: operation.to_owned(),
                kind: kind.to_owned(),
                decision: decision.to_owned(),
            })
            .inc();
    }

    /// Counts a reload.
    pub fn reload(family: &Family<ResultLabels, Counter>, ok: bool) {
        family
            .get_or_create(&ResultLabels {
                result: if ok { "success" } else { "failure" }.to_owned(),
            })
            .inc();
    }

    /// The OpenMetrics text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
