//! The admission webhook behind `policy serve` (DESIGN section 7): the second
//! front end over the same engine as `policy check`.
//!
//! - [`admission`]: AdmissionReview v1 in and out (kube-core types).
//! - [`decide`]: exemptions, operations, modes, failure mode: the decision, pure.
//! - [`http`]: the routers (`POST /validate`; `/livez`, `/readyz`, `/metrics`),
//!   bounded concurrency and load shedding.
//! - [`listen`]: the HTTPS and probe sockets, graceful drain.
//! - [`reload`]: polling policy and certificate files, keeping the last good.
//! - [`tls`], [`metrics`], [`log`], [`settings`], [`state`].
//!
//! [`start`] runs everything on the caller's tokio runtime and returns a
//! [`Running`] handle (tests use it); [`run`] is the blocking entry point of
//! the CLI, with its own runtime and SIGTERM handling.

pub mod admission;
mod cache;
pub mod decide;
mod gatekeeper;
pub mod http;
pub mod listen;
pub mod log;
pub mod metrics;
pub mod reload;
pub mod settings;
pub mod state;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use http::{probe_router, router};
pub use settings::{DecisionSettings, FailureMode, Limits, Mode, Network, Settings, Sources};
pub use state::{Bundle, State};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The policies did not load or compile (one line per problem).
    #[error("the policies could not be loaded:\n  {}", .0.join("\n  "))]
    Policies(Vec<String>),
    /// The certificate or key is unusable.
    #[error("TLS: {0}")]
    Tls(#[from] tls::CertError),
    /// An address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The async runtime could not be built.
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
}

/// A started server.
#[derive(Debug)]
pub struct Running {
    /// The HTTPS address actually bound (port 0 resolved).
    pub addr: SocketAddr,
    /// The probe address actually bound.
    pub probe_addr: SocketAddr,
    /// The shared state.
    pub state: Arc<State>,
    network: Network,
    stop_tls: watch::Sender<bool>,
    stop_rest: watch::Sender<bool>,
    tls_task: JoinHandle<()>,
    other_tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Drains and stops: not ready at once, keeps serving for the shutdown
    /// delay (while endpoints are updated), then stops accepting and lets the
    /// requests in flight finish within the drain timeout.
    pub async fn shutdown(self) {
        self.state.set_draining();
        tracing::info!(
            delay_s = self.network.shutdown_delay.as_secs_f64(),
            "shutting down: not ready, draining"
        );
        tokio::time::sleep(self.network.shutdown_delay).await;
        let _ = self.stop_tls.send(true);
        let _ = self.tls_task.await;
        let _ = self.stop_rest.send(true);
        for task in self.other_tasks {
            let _ = task.await;
        }
        tracing::info!("stopped");
    }
}

/// Compiles the policies, loads the certificate, binds both listeners and
/// starts serving (and reloading) on the current tokio runtime.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let Settings {
        network,
        sources,
        decisions,
        limits,
    } = settings;
    let seen = reload::Seen::now(&sources);
    let compile_sources = sources.clone();
    let timeout = limits.timeout;
    let bundle =
        tokio::task::spawn_blocking(move || reload::load_bundle(&compile_sources, timeout))
            .await
            .map_err(|e| StartError::Policies(vec![e.to_string()]))?
            .map_err(StartError::Policies)?;
    let key = tls::load(&sources.tls_cert, &sources.tls_key)?;
    let resolver = tls::Resolver::new(key);
    let config = tls::server_config(resolver.clone())?;
    let state = State::with_bundle(bundle, decisions, limits);

    let bind = |addr: SocketAddr| async move {
        TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })
    };
    let tls_listener = bind(network.addr).await?;
    let probe_listener = bind(network.probe_addr).await?;
    let addr = tls_listener
        .local_addr()
        .map_err(|source| StartError::Bind {
            addr: network.addr,
            source,
        })?;
    let probe_addr = probe_listener
        .local_addr()
        .map_err(|source| StartError::Bind {
            addr: network.probe_addr,
            source,
        })?;

    let (stop_tls, tls_rx) = watch::channel(false);
    let (stop_rest, rest_rx) = watch::channel(false);
    // The probe thread first: it is the step that can still fail.
    let mut other_tasks = vec![listen::serve_plain_on_own_thread(
        probe_listener,
        probe_router(state.clone()),
        rest_rx.clone(),
    )
    .map_err(StartError::Runtime)?];
    let tls_task = tokio::spawn(listen::serve_tls(
        tls_listener,
        config,
        router(state.clone()),
        tls_rx,
        network.drain_timeout,
    ));
    if let Some(interval) = sources.reload_interval {
        other_tasks.push(tokio::spawn(reload::run(
            state.clone(),
            resolver,
            sources.clone(),
            interval,
            seen,
            rest_rx,
        )));
    }
    state.set_serving(true);
    let bundle = state.bundle();
    tracing::info!(
        addr = %addr,
        probe_addr = %probe_addr,
        rules = bundle.policies.rules().len(),
        mode = state.decisions.mode.as_str(),
        failure_mode = state.decisions.failure_mode.as_str(),
        exempt_namespaces = ?state.decisions.exempt_namespaces,
        "serving"
    );
    Ok(Running {
        addr,
        probe_addr,
        state,
        network,
        stop_tls,
        stop_rest,
        tls_task,
        other_tasks,
    })
}

/// Runs the server until SIGTERM or SIGINT, then drains: the CLI's entry point.
/// Logs are JSON lines on stdout.
pub fn run(settings: Settings, worker_threads: usize) -> Result<(), StartError> {
    log::init();
    // Each evaluation in `block_in_place` (a large body) hands its worker's
    // duties to a thread of this pool, so it needs a thread per evaluation
    // slot and per worker, and a few for reloads.
    let blocking = settings.limits.concurrency.max(1) + worker_threads.max(1) + 8;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads.max(1))
        .max_blocking_threads(blocking)
        // Deeply nested objects make deep evaluations: give them room.
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    runtime.block_on(async move {
        let running = start(settings).await?;
        wait_for_signal().await;
        running.shutdown().await;
        Ok(())
    })
}

async fn wait_for_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => tracing::info!(signal = "SIGINT", "signal received"),
        _ = terminate => tracing::info!(signal = "SIGTERM", "signal received"),
    }
}

/// A sensible default for worker threads: the available cores.
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Converts seconds from a flag to a duration (`None` when not positive and finite).
pub fn seconds(value: f64) -> Option<Duration> {
    (value.is_finite() && value > 0.0).then(|| Duration::from_secs_f64(value))
}
