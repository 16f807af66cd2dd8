//! The HTTP surface: `POST /validate` (served over TLS by `listen`) and the
//! probe routes `/livez`, `/readyz`, `/metrics` (plain HTTP, own port). Both
//! routers take the shared state and can be driven without a socket.
//!
//! A request is admitted only while fewer than `concurrency + max_queue`
//! requests are in; it then waits at most `timeout` for an evaluation slot.
//! Otherwise it is shed with 429 (and `Retry-After`), and the webhook's
//! `failurePolicy` decides, so overload never grows queues or memory.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State as AxumState;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use super::admission::{self, respond, status_body};
use super::decide::decide;
use super::log::{self, RequestInfo};
use super::state::State;

/// The webhook router: `POST /validate`.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/validate", post(validate))
        .with_state(state)
}

/// The probe router: `/livez`, `/readyz`, `/metrics`.
pub fn probe_router(state: Arc<State>) -> Router {
    Router::new()
        .route("/livez", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn readyz(AxumState(state): AxumState<Arc<State>>) -> Response {
    if state.ready() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

async fn metrics(AxumState(state): AxumState<Arc<State>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

fn json(code: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (code, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// An answer that is not a decision, counted and logged.
fn reject(
    state: &State,
    started: Instant,
    uid: Option<&str>,
    code: StatusCode,
    reason: &str,
    message: &str,
) -> Response {
    let decision = match code {
        StatusCode::TOO_MANY_REQUESTS => "shed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        _ => "invalid",
    };
    state.metrics.request("", "", decision);
    log::rejected(uid, code.as_u16(), decision, message, started.elapsed());
    let mut response = json(code, &status_body(code.as_u16(), reason, message));
    if code == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    }
    response
}

/// Counts a request as admitted until dropped.
struct Admitted<'s>(&'s State);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::SeqCst);
        self.0.metrics.in_flight.dec();
    }
}

async fn validate(
    AxumState(state): AxumState<Arc<State>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let limit = state.limits.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(&state, started, limit);
    }
    let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            let too_big = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit exceeded");
            if too_big {
                return too_large(&state, started, limit);
            }
            return reject(
                &state,
                started,
                None,
                StatusCode::BAD_REQUEST,
                "BadRequest",
                &format!("the body could not be read: {e}"),
            );
        }
    };

    let capacity = state.limits.concurrency.max(1) + state.limits.max_queue;
    if state.admitted.fetch_add(1, Ordering::SeqCst) >= capacity {
        state.admitted.fetch_sub(1, Ordering::SeqCst);
        return reject(
            &state,
            started,
            None,
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Railyard is overloaded: every evaluation slot and queue place is taken; retry",
        );
    }
    state.metrics.in_flight.inc();
    let admitted = Admitted(&state);
    // Evaluation holds this worker (see `evaluate`): first let the requests
    // already waiting on it be read and counted, so that a backlog shows in
    // `admitted` and is shed with 429 instead of waiting unseen in the
    // runtime's queue.
    tokio::task::yield_now().await;
    let permit =
        match tokio::time::timeout(state.limits.timeout, state.slots.clone().acquire_owned()).await
        {
            Ok(Ok(permit)) => permit,
            _ => {
                drop(admitted);
                return reject(
                    &state,
                    started,
                    None,
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    "Railyard is overloaded: no evaluation slot became free in time; retry",
                );
            }
        };
    let joined = evaluate(&state, bytes, started, permit).await;
    drop(admitted);
    match joined {
        Ok(response) => response,
        Err(e) => reject(
            &state,
            started,
            None,
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            &format!("evaluation task failed: {e}"),
        ),
    }
}

/// Bodies up to this size are evaluated in place (see [`evaluate`]).
/// Evaluation time grows with the document; a Deployment as the API server
/// sends it, managedFields included, is 5-10 KiB.
const IN_PLACE_MAX_BODY: usize = 64 * 1024;

/// Runs [`process`] for an admitted request holding an evaluation slot; a
/// panic becomes an error answer, not a dropped connection.
///
/// On the multi-threaded runtime (`policy serve`) an ordinary request is
/// evaluated in place, on the worker that read it: the body, the TLS state and
/// the answer stay in one thread's caches, and no thread is woken. Handing each
/// request to another thread cost a quarter of the server's CPU in thread
/// switches and cold caches, through the blocking pool or through
/// `block_in_place`, which hands the worker's duties to a fresh thread
/// (docs/ARCHITECTURE.md has the numbers). The
/// worker is held for one evaluation, a few hundred microseconds, at most the
/// evaluation deadline; the slots (`--concurrency`, by default one per core)
/// bound how many workers are held, the probes run on a thread of their own
/// (`listen::serve_plain_on_own_thread`), and `validate` counts the backlog
/// before evaluating. A large body, whose evaluation takes longer, goes
/// through `block_in_place` so that the worker's other requests move on.
/// A current-thread runtime (some embedders' tests) cannot spare its one
/// thread and uses the blocking pool.
async fn evaluate(
    state: &Arc<State>,
    bytes: Bytes,
    started: Instant,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> Result<Response, String> {
    let flavor = tokio::runtime::Handle::current().runtime_flavor();
    if flavor != tokio::runtime::RuntimeFlavor::MultiThread {
        let state = state.clone();
        return tokio::task::spawn_blocking(move || {
            let _permit = permit;
            process(&state, &bytes, started)
        })
        .await
        .map_err(|e| e.to_string());
    }
    let large = bytes.len() > IN_PLACE_MAX_BODY;
    let run = move || {
        let _permit = permit;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            process(state, &bytes, started)
        }))
        .map_err(|_| "the evaluation panicked".to_owned())
    };
    if large {
        tokio::task::block_in_place(run)
    } else {
        run()
    }
}

fn too_large(state: &State, started: Instant, limit: usize) -> Response {
    reject(
        state,
        started,
        None,
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
        &format!("the body is larger than the limit of {limit} bytes (--max-body-bytes)"),
    )
}

/// Reads, decides, answers: the CPU-bound part (public for the webhook
/// benchmark, which measures it without TLS and HTTP).
pub fn process(state: &State, body: &[u8], started: Instant) -> Response {
    let review = match admission::parse(body) {
        Ok(r) => r,
        Err(bad) => {
            return reject(
                state,
                started,
                bad.uid.as_deref(),
                StatusCode::BAD_REQUEST,
                "BadRequest",
                &bad.message,
            );
        }
    };
    let request = review.request.clone();
    let user = review
        .user_info
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let bundle = state.bundle();
    let verdict = decide(&bundle, &state.decisions, &state.cache, review);
    let operation = admission::operation_name(&request.operation);
    let metrics = &state.metrics;
    metrics.request(operation, &request.kind.kind, verdict.decision.as_str());
    if !verdict.evaluation.is_zero() {
        metrics
            .evaluation_seconds
            .observe(verdict.evaluation.as_secs_f64());
    }
    if verdict.cached {
        metrics.cache_hits.inc();
    }
    if verdict.timed_out {
        metrics.evaluation_timeouts.inc();
    } else if !verdict.errors.is_empty() {
        metrics.evaluation_errors.inc();
    }
    for item in &verdict.items {
        metrics
            .findings
            .get_or_create(&super::metrics::RuleLabels {
                rule: item.rule.clone(),
                level: if item.failure { "failure" } else { "warning" }.to_owned(),
            })
            .inc();
    }
    let elapsed = started.elapsed();
    metrics.request_seconds.observe(elapsed.as_secs_f64());
    log::decision(
        &RequestInfo {
            uid: &request.uid,
            operation,
            kind: &request.kind.kind,
            namespace: request.namespace.as_deref().unwrap_or(""),
            name: &request.name,
            user: &user,
            dry_run: request.dry_run,
        },
        state.decisions.mode,
        &verdict,
        elapsed,
    );
    json(StatusCode::OK, &respond(&request, verdict.answer))
}
