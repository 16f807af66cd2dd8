//! `policy serve`: the admission webhook (see `crate::server` and docs/webhook.md).
//! Flags only: settings come from the command line (and `POD_NAMESPACE`);
//! `railyard.toml` support arrives with the config-file issue.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Status;
use crate::server::{
    self, DecisionSettings, FailureMode, Limits, Mode, Network, Settings, Sources,
};

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Deny requests with failures (403); warnings are returned as warnings.
    Enforce,
    /// Allow; failures and warnings are returned as warnings.
    Warn,
    /// Allow silently; decisions are only logged and counted.
    Dryrun,
}

/// `--failure-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailureModeArg {
    /// Deny (code 500) when a request cannot be evaluated (fail closed).
    Deny,
    /// Allow with a warning when a request cannot be evaluated (fail open).
    Allow,
}

/// Arguments of `policy serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// PEM certificate (chain) served on the HTTPS port; reloaded when it changes.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: PathBuf,
    /// PEM private key of the certificate; reloaded when it changes.
    #[arg(long, value_name = "FILE")]
    pub tls_key: PathBuf,
    /// Policy directory or file (repeatable); default: the built-in library. Reloaded when it changes.
    #[arg(short = 'p', long = "policy", value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Data file or directory merged into `data` (repeatable). Reloaded when it changes.
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// HTTPS address of `POST /validate`.
    #[arg(long, default_value = "0.0.0.0:8443", value_name = "ADDR")]
    pub addr: SocketAddr,
    /// Plain-HTTP address of `/livez`, `/readyz` and `/metrics`.
    #[arg(long, default_value = "0.0.0.0:8080", value_name = "ADDR")]
    pub probe_addr: SocketAddr,
    /// What failures do: deny, warn, or only get logged.
    #[arg(long, value_enum, default_value_t = ModeArg::Enforce)]
    pub mode: ModeArg,
    /// The answer when a request cannot be evaluated (error, deadline).
    #[arg(long, value_enum, default_value_t = FailureModeArg::Deny)]
    pub failure_mode: FailureModeArg,
    /// Namespace whose requests are never evaluated (repeatable; replaces the default).
    #[arg(long = "exempt-namespace", value_name = "NS", default_values_t = ["kube-system".to_string()])]
    pub exempt_namespaces: Vec<String>,
    /// The webhook's own namespace, always exempt.
    #[arg(long, env = "POD_NAMESPACE", value_name = "NS")]
    pub namespace: Option<String>,
    /// Rule id whose failures only warn, in every mode (repeatable): roll a new rule out.
    #[arg(long = "warn-only", value_name = "RULE")]
    pub warn_only: Vec<String>,
    /// Evaluation deadline per request, and the longest wait for a free slot, in seconds.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 6 * 1024 * 1024, value_name = "BYTES")]
    pub max_body_bytes: usize,
    /// Evaluations running at once (0 = one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub concurrency: usize,
    /// Requests waiting for a slot beyond those running; more get 429.
    #[arg(long, default_value_t = 128, value_name = "N")]
    pub max_queue: usize,
    /// How often policy and certificate files are checked for changes, in seconds (0 = never).
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub reload_interval: f64,
    /// After SIGTERM, how long to keep serving while not ready, in seconds.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    pub shutdown_delay: f64,
    /// Then, how long requests in flight get to finish, in seconds.
    #[arg(long, default_value_t = 25.0, value_name = "SECONDS")]
    pub drain_timeout: f64,
    /// Async worker threads (0 = one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub workers: usize,
}

fn settings(args: ServeArgs) -> Result<Settings, String> {
    let timeout =
        server::seconds(args.timeout).ok_or("--timeout must be a positive number of seconds")?;
    let non_negative = |v: f64, flag: &str| {
        if v.is_finite() && v >= 0.0 {
            Ok(std::time::Duration::from_secs_f64(v))
        } else {
            Err(format!(
                "{flag} must be zero or a positive number of seconds"
            ))
        }
    };
    let mut exempt: BTreeSet<String> = args.exempt_namespaces.into_iter().collect();
    if let Some(own) = args.namespace.filter(|ns| !ns.is_empty()) {
        exempt.insert(own);
    }
    let defaults = Limits::default();
    Ok(Settings {
        network: Network {
            addr: args.addr,
            probe_addr: args.probe_addr,
            shutdown_delay: non_negative(args.shutdown_delay, "--shutdown-delay")?,
            drain_timeout: non_negative(args.drain_timeout, "--drain-timeout")?,
        },
        sources: Sources {
            policy_paths: args.policy,
            data_paths: args.data,
            tls_cert: args.tls_cert,
            tls_key: args.tls_key,
            reload_interval: server::seconds(args.reload_interval),
        },
        decisions: DecisionSettings {
            mode: match args.mode {
                ModeArg::Enforce => Mode::Enforce,
                ModeArg::Warn => Mode::Warn,
                ModeArg::Dryrun => Mode::DryRun,
            },
            failure_mode: match args.failure_mode {
                FailureModeArg::Deny => FailureMode::Deny,
                FailureModeArg::Allow => FailureMode::Allow,
            },
            exempt_namespaces: exempt,
            warn_only: args.warn_only.into_iter().collect(),
        },
        limits: Limits {
            max_body_bytes: args.max_body_bytes.max(1),
            timeout,
            concurrency: if args.concurrency == 0 {
                defaults.concurrency
            } else {
                args.concurrency
            },
            max_queue: args.max_queue,
        },
    })
}

/// Runs `policy serve` until SIGTERM; exit 2 when it cannot start.
pub fn run(args: ServeArgs) -> Status {
    let workers = if args.workers == 0 {
        server::default_workers()
    } else {
        args.workers
    };
    let settings = match settings(args) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::Error;
        }
    };
    match server::run(settings, workers) {
        Ok(()) => Status::Clean,
        Err(e) => {
            eprintln!("error: {e}");
            Status::Error
        }
    }
}
