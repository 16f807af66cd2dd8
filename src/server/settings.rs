//! The webhook's settings, grouped by concern: where to listen, how to decide,
//! limits, and reloading. Built by the CLI from flags (`policy serve`); the
//! server itself never parses arguments.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::engine::EngineKind;

/// What a failing request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Deny requests with failures (403); warnings go to `warnings`.
    Enforce,
    /// Allow everything; failures and warnings go to `warnings`.
    Warn,
    /// Allow everything silently; decisions are only logged and counted.
    DryRun,
}

impl Mode {
    /// The name used in flags, logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::DryRun => "dryrun",
        }
    }
}

/// The answer when a request cannot be evaluated (evaluation error or deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureMode {
    /// Fail closed: deny with code 500 and the reason.
    Deny,
    /// Fail open: allow with a warning that says the request was not checked.
    Allow,
}

impl FailureMode {
    /// The name used in flags and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureMode::Deny => "deny",
            FailureMode::Allow => "allow",
        }
    }
}

/// How requests are decided.
#[derive(Debug, Clone)]
pub struct DecisionSettings {
    /// Enforce, warn or dry-run.
    pub mode: Mode,
    /// The answer when evaluation fails.
    pub failure_mode: FailureMode,
    /// Namespaces whose requests are allowed without evaluation.
    pub exempt_namespaces: BTreeSet<String>,
    /// Rule ids whose failures only warn, whatever the mode (rolling a rule out).
    pub warn_only: BTreeSet<String>,
}

impl Default for DecisionSettings {
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            failure_mode: FailureMode::Deny,
            exempt_namespaces: ["kube-system".to_owned()].into(),
            warn_only: BTreeSet::new(),
        }
    }
}

/// Bounds on the work one request, and all of them, may cause.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Evaluation deadline of one request; also the longest a request waits for a slot.
    pub timeout: Duration,
    /// Evaluations running at once.
    pub concurrency: usize,
    /// Requests waiting for a slot beyond `concurrency`; more are shed with 429.
    pub max_queue: usize,
    /// Verdicts remembered for objects seen before (0: none; see cache.rs).
    pub decision_cache: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 6 * 1024 * 1024,
            timeout: Duration::from_secs(2),
            concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queue: 128,
            decision_cache: 4096,
        }
    }
}

/// Where the policies and the certificate come from, and how often to look again.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Policy directories or files (`-p`); empty means the built-in library.
    pub policy_paths: Vec<PathBuf>,
    /// Data files or directories (`-d`).
    pub data_paths: Vec<PathBuf>,
    /// Waiver file (`--waivers`), reloaded with the policies.
    pub waivers: Option<PathBuf>,
    /// Gatekeeper inventory (`--inventory`): the cluster objects that
    /// `data.inventory` holds and namespaceSelectors read, reloaded with the policies.
    pub inventory: Option<PathBuf>,
    /// The evaluator (`--engine`).
    pub engine: EngineKind,
    /// PEM certificate chain.
    pub tls_cert: PathBuf,
    /// PEM private key.
    pub tls_key: PathBuf,
    /// How often files are checked for changes (`None`: never).
    pub reload_interval: Option<Duration>,
}

/// Listening and shutting down.
#[derive(Debug, Clone)]
pub struct Network {
    /// HTTPS address of `POST /validate`.
    pub addr: SocketAddr,
    /// Plain-HTTP address of `/livez`, `/readyz` and `/metrics`.
    pub probe_addr: SocketAddr,
    /// After SIGTERM, how long to keep accepting while endpoints are updated.
    pub shutdown_delay: Duration,
    /// After that, how long in-flight requests get to finish.
    pub drain_timeout: Duration,
}

impl Default for Network {
    fn default() -> Self {
        Self {
            addr: ([0, 0, 0, 0], 8443).into(),
            probe_addr: ([0, 0, 0, 0], 8080).into(),
            shutdown_delay: Duration::from_secs(3),
            drain_timeout: Duration::from_secs(25),
        }
    }
}

/// Everything `policy serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listening and shutting down.
    pub network: Network,
    /// Policy, data and certificate files.
    pub sources: Sources,
    /// How requests are decided.
    pub decisions: DecisionSettings,
    /// Resource bounds.
    pub limits: Limits,
}
