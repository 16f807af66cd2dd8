//! `policy serve`: the admission webhook (see `crate::server` and docs/webhook.md).
//! Settings come from the flags (and `POD_NAMESPACE`), then `railyard.toml`
//! (`--config`, or found from the current directory up), then the defaults.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::{flag_or_file, Status};
use crate::config::{self, Config, EngineChoice, FailurePolicy, ServeMode};
use crate::server::{
    self, DecisionSettings, FailureMode, Limits, Mode, Network, Settings, Sources,
};

/// Arguments of `policy serve`. Settings left out come from `railyard.toml`
/// (its top level and `[serve]`), then from the defaults shown.
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
    /// Waiver file applied to every decision (the same file as in CI). Reloaded when it changes.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Gatekeeper inventory: cluster objects for `data.inventory` and namespaceSelectors,
    /// as `kubectl get ... -o json` writes them (see docs/gatekeeper.md). Reloaded when it changes.
    #[arg(long, value_name = "FILE")]
    pub inventory: Option<PathBuf>,
    /// Settings file [default: railyard.toml in the current directory or above].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// HTTPS address of `POST /validate`.
    #[arg(long, default_value = "0.0.0.0:8443", value_name = "ADDR")]
    pub addr: SocketAddr,
    /// Plain-HTTP address of `/livez`, `/readyz` and `/metrics`.
    #[arg(long, default_value = "0.0.0.0:8080", value_name = "ADDR")]
    pub probe_addr: SocketAddr,
    /// What failures do: deny, warn, or only get logged [default: enforce].
    #[arg(long, value_enum)]
    pub mode: Option<ServeMode>,
    /// The answer when a request cannot be evaluated (error, deadline) [default: deny].
    #[arg(long, value_enum)]
    pub failure_mode: Option<FailurePolicy>,
    /// Namespace whose requests are never evaluated (repeatable; replaces the
    /// default) [default: kube-system].
    #[arg(long = "exempt-namespace", value_name = "NS")]
    pub exempt_namespaces: Vec<String>,
    /// The webhook's own namespace, always exempt.
    #[arg(long, env = "POD_NAMESPACE", value_name = "NS")]
    pub namespace: Option<String>,
    /// Rule id whose failures only warn, in every mode (repeatable): roll a new rule out.
    #[arg(long = "warn-only", value_name = "RULE")]
    pub warn_only: Vec<String>,
    /// Evaluation deadline per request, and the longest wait for a free slot, in
    /// seconds [default: 2].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Evaluator: regorus' bytecode VM where a rule group compiles to it (a
    /// run-time error in a rule leaves it undefined), or its interpreter for
    /// every rule (the reference: errors get the failure mode) [default: vm].
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub engine: Option<EngineChoice>,
    /// Largest request body accepted, in bytes [default: 6291456].
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Evaluations running at once (0 = one per core) [default: 0].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Requests waiting for a slot beyond those running; more get 429 [default: 128].
    #[arg(long, value_name = "N")]
    pub max_queue: Option<usize>,
    /// Verdicts remembered for identical objects (GitOps re-applies), while the
    /// policies read nothing but the object; 0 turns it off [default: 4096].
    #[arg(long, value_name = "ENTRIES")]
    pub decision_cache: Option<usize>,
    /// How often policy and certificate files are checked for changes, in seconds
    /// (0 = never) [default: 5].
    #[arg(long, value_name = "SECONDS")]
    pub reload_interval: Option<f64>,
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

fn settings(args: ServeArgs, config: Config) -> Result<Settings, String> {
    let serve = config.serve;
    let timeout = server::seconds(args.timeout.or(serve.timeout).unwrap_or(2.0))
        .ok_or("--timeout must be a positive number of seconds")?;
    let non_negative = |v: f64, flag: &str| {
        if v.is_finite() && v >= 0.0 {
            Ok(std::time::Duration::from_secs_f64(v))
        } else {
            Err(format!(
                "{flag} must be zero or a positive number of seconds"
            ))
        }
    };
    let exempt = match (args.exempt_namespaces, serve.exempt_namespaces) {
        (flags, _) if !flags.is_empty() => flags,
        (_, Some(file)) => file,
        _ => vec!["kube-system".to_owned()],
    };
    let mut exempt: BTreeSet<String> = exempt.into_iter().collect();
    if let Some(own) = args.namespace.filter(|ns| !ns.is_empty()) {
        exempt.insert(own);
    }
    let warn_only = flag_or_file(args.warn_only, serve.warn_only);
    let defaults = Limits::default();
    let concurrency = args.concurrency.or(serve.concurrency).unwrap_or(0);
    Ok(Settings {
        network: Network {
            addr: args.addr,
            probe_addr: args.probe_addr,
            shutdown_delay: non_negative(args.shutdown_delay, "--shutdown-delay")?,
            drain_timeout: non_negative(args.drain_timeout, "--drain-timeout")?,
        },
        sources: Sources {
            policy_paths: flag_or_file(args.policy, config.policy),
            data_paths: flag_or_file(args.data, config.data),
            waivers: args.waivers.or(config.waivers),
            inventory: args.inventory,
            engine: args
                .engine
                .or(serve.engine)
                .unwrap_or(EngineChoice::Vm)
                .into(),
            tls_cert: args.tls_cert,
            tls_key: args.tls_key,
            reload_interval: server::seconds(
                args.reload_interval
                    .or(serve.reload_interval)
                    .unwrap_or(5.0),
            ),
        },
        decisions: DecisionSettings {
            mode: match args.mode.or(serve.mode).unwrap_or(ServeMode::Enforce) {
                ServeMode::Enforce => Mode::Enforce,
                ServeMode::Warn => Mode::Warn,
                ServeMode::Dryrun => Mode::DryRun,
            },
            failure_mode: match args
                .failure_mode
                .or(serve.failure_mode)
                .unwrap_or(FailurePolicy::Deny)
            {
                FailurePolicy::Deny => FailureMode::Deny,
                FailurePolicy::Allow => FailureMode::Allow,
            },
            exempt_namespaces: exempt,
            warn_only: warn_only.into_iter().collect(),
        },
        limits: Limits {
            max_body_bytes: args
                .max_body_bytes
                .or(serve.max_body_bytes)
                .unwrap_or(defaults.max_body_bytes)
                .max(1),
            timeout,
            concurrency: if concurrency == 0 {
                defaults.concurrency
            } else {
                concurrency
            },
            max_queue: args
                .max_queue
                .or(serve.max_queue)
                .unwrap_or(defaults.max_queue),
            decision_cache: args
                .decision_cache
                .or(serve.decision_cache)
                .unwrap_or(defaults.decision_cache),
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
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = match config::discover(args.config.as_deref(), &cwd) {
        Ok(c) => c,
        Err(errors) => {
            super::print_errors(&errors, false);
            return Status::Error;
        }
    };
    let settings = match settings(args, config) {
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
