//! Sockets: the HTTPS listener (rustls over tokio, HTTP/1.1 and h2 through
//! hyper-util) and the plain-HTTP probe listener, both stopping on a signal.
//! The probe listener has a thread of its own, so that the kubelet's probes
//! and Prometheus' scrapes are answered while every runtime worker evaluates.
//! On stop, the HTTPS listener closes, idle connections are closed, and the
//! requests in flight finish (up to the drain timeout).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

/// A TLS handshake that takes longer is dropped (slow or idle clients).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` over TLS until `stop` turns true, then drains.
pub async fn serve_tls(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    app: Router,
    mut stop: watch::Receiver<bool>,
    drain_timeout: Duration,
) {
    let acceptor = TlsAcceptor::from(config);
    let graceful = GracefulShutdown::new();
    let builder = auto::Builder::new(TokioExecutor::new());
    loop {
        let (tcp, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and similar: back off, keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => return,
            };
            let service = TowerToHyperService::new(app);
            let conn = builder.serve_connection(TokioIo::new(tls), service);
            if let Err(e) = watcher.watch(conn.into_owned()).await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("drain timeout reached with requests still in flight");
    }
}

/// Serves the probe routes over plain HTTP until `stop` turns true.
pub async fn serve_plain(listener: TcpListener, app: Router, mut stop: watch::Receiver<bool>) {
    let shutdown = async move {
        let _ = stop.changed().await;
    };
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        tracing::error!(error = %e, "probe listener failed");
    }
}

/// Runs [`serve_plain`] on a new thread with a single-threaded runtime of its
/// own: the webhook's workers evaluate requests in place (see
/// `http::evaluate`), and a liveness probe must not wait for them. The returned
/// task, on the caller's runtime, ends when that thread has stopped.
pub fn serve_plain_on_own_thread(
    listener: TcpListener,
    app: Router,
    stop: watch::Receiver<bool>,
) -> std::io::Result<JoinHandle<()>> {
    let listener = listener.into_std()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (done, finished) = oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("railyard-probes".into())
        .spawn(move || {
            runtime.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(listener) => serve_plain(listener, app, stop).await,
                    Err(e) => tracing::error!(error = %e, "probe listener failed"),
                }
            });
            let _ = done.send(());
        })?;
    Ok(tokio::spawn(async move {
        let _ = finished.await;
    }))
}
