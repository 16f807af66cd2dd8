//! Reloading policies and the certificate when their files change.
//!
//! Kubernetes updates mounted ConfigMaps and Secrets by swapping a `..data`
//! symlink, which leaves inotify watches on the old files stale, so files are
//! polled: every interval, the contents are hashed and compared with what is
//! serving. A change is compiled (or parsed) off the async threads; only a
//! complete success replaces what is serving. A failure is logged and counted
//! and the last good version keeps serving; the same broken contents are not
//! retried until they change again. Contents that change while being read are
//! read again at the next poll.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::metrics::Metrics;
use super::settings::Sources;
use super::state::Bundle;
use super::state::State;
use super::tls::{self, Resolver};
use crate::engine::{CompileOptions, PolicySet};
use crate::finding::CheckError;
use crate::gatekeeper::GatekeeperSet;
use crate::policy_dir;
use crate::waiver::WaiverSet;

/// Loads and compiles the policies of `sources`; errors as `file:line:column: message` lines.
pub fn compile(sources: &Sources, deadline: Duration) -> Result<Arc<PolicySet>, Vec<String>> {
    compile_sets(sources, deadline).map(|(policies, _)| policies)
}

/// The Rego policies and the Gatekeeper constraints of `sources` (with the
/// inventory of `--inventory`), compiled; errors as `file:line:column: message` lines.
fn compile_sets(
    sources: &Sources,
    deadline: Duration,
) -> Result<(Arc<PolicySet>, Arc<GatekeeperSet>), Vec<String>> {
    let loaded = policy_dir::load(&sources.policy_paths, &sources.data_paths);
    if !loaded.errors.is_empty() {
        return Err(loaded.errors.iter().map(error_line).collect());
    }
    let options = CompileOptions {
        include_tests: false,
        deadline,
        engine: sources.engine,
        ..CompileOptions::default()
    };
    let policies =
        PolicySet::compile(&loaded.policies, &loaded.data, &options).map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{}: {}", e, e.code))
                .collect::<Vec<_>>()
        })?;
    // Each Kubernetes rule group's VM program now, so that the first request
    // of a kind does not pay for it (about 10 ms a group).
    for (rules, reason) in policies.prepare("kubernetes", crate::input::is_kubernetes_kind) {
        tracing::info!(
            rules = rules.join(",").as_str(),
            reason = reason.as_str(),
            "rules that run on the interpreter: the VM cannot compile them"
        );
    }
    let gatekeeper = loaded
        .gatekeeper
        .compile(deadline)
        .map_err(|errors| errors.iter().map(error_line).collect::<Vec<_>>())?;
    let gatekeeper = super::gatekeeper::with_inventory(gatekeeper, sources.inventory.as_deref())?;
    Ok((Arc::new(policies), Arc::new(gatekeeper)))
}

/// Everything that reloads together, compiled and read: policies, constraints, waivers.
pub fn load_bundle(sources: &Sources, deadline: Duration) -> Result<Bundle, Vec<String>> {
    let (policies, gatekeeper) = compile_sets(sources, deadline)?;
    let waivers = load_waivers(sources)?;
    Ok(Bundle {
        waivers,
        gatekeeper,
        ..Bundle::new(policies, 0)
    })
}

/// Reads the waiver file, when there is one; errors as `file:line:column: message` lines.
pub fn load_waivers(sources: &Sources) -> Result<Option<Arc<WaiverSet>>, Vec<String>> {
    let Some(path) = &sources.waivers else {
        return Ok(None);
    };
    WaiverSet::load(path)
        .map(|w| Some(Arc::new(w)))
        .map_err(|errors| errors.iter().map(error_line).collect())
}

pub(crate) fn error_line(e: &CheckError) -> String {
    match (e.line, e.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {}: {}", e.file, e.code, e.message),
        _ => format!("{}: {}: {}", e.file, e.code, e.message),
    }
}

/// The fingerprint of the policy, data and waiver files.
pub fn policy_fingerprint(sources: &Sources) -> u64 {
    let mut hasher = DefaultHasher::new();
    policy_dir::fingerprint(&sources.policy_paths, &sources.data_paths).hash(&mut hasher);
    for path in [&sources.waivers, &sources.inventory].into_iter().flatten() {
        std::fs::read(path).map_err(|e| e.kind()).hash(&mut hasher);
    }
    hasher.finish()
}

/// A certificate file and a key file, as read.
type PemPair = (Vec<u8>, Vec<u8>);

fn cert_bytes(sources: &Sources) -> (u64, Option<PemPair>) {
    let cert = std::fs::read(&sources.tls_cert);
    let key = std::fs::read(&sources.tls_key);
    let mut hasher = DefaultHasher::new();
    match (cert, key) {
        (Ok(cert), Ok(key)) => {
            cert.hash(&mut hasher);
            key.hash(&mut hasher);
            (hasher.finish(), Some((cert, key)))
        }
        (cert, key) => {
            cert.map_err(|e| e.kind()).hash(&mut hasher);
            key.map_err(|e| e.kind()).hash(&mut hasher);
            (hasher.finish(), None)
        }
    }
}

/// What the poller compares against: the contents serving now.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    /// Policy and data files.
    pub policies: u64,
    /// Certificate and key.
    pub certificate: u64,
}

impl Seen {
    /// The fingerprints of the files as they are now (call before loading them).
    pub fn now(sources: &Sources) -> Seen {
        Seen {
            policies: policy_fingerprint(sources),
            certificate: cert_bytes(sources).0,
        }
    }
}

/// Polls until `stop` turns true.
pub async fn run(
    state: Arc<State>,
    resolver: Arc<Resolver>,
    sources: Sources,
    interval: Duration,
    mut seen: Seen,
    mut stop: watch::Receiver<bool>,
) {
    let sources = Arc::new(sources);
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        let (st, src) = (state.clone(), sources.clone());
        let previous = seen.policies;
        match tokio::task::spawn_blocking(move || reload_policies(&st, &src, previous)).await {
            Ok(Some(fingerprint)) => seen.policies = fingerprint,
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "policy reload task failed"),
        }
        let (st, src, res) = (state.clone(), sources.clone(), resolver.clone());
        let previous = seen.certificate;
        match tokio::task::spawn_blocking(move || {
            reload_certificate(&st.metrics, &res, &src, previous)
        })
        .await
        {
            Ok(Some(fingerprint)) => seen.certificate = fingerprint,
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "certificate reload task failed"),
        }
    }
}

/// Reloads the policies if they changed; returns the fingerprint now handled.
fn reload_policies(state: &State, sources: &Sources, previous: u64) -> Option<u64> {
    let before = policy_fingerprint(sources);
    if before == previous {
        return None;
    }
    let result = load_bundle(sources, state.limits.timeout);
    if policy_fingerprint(sources) != before {
        // Changed while being read (a ConfigMap update in progress): next poll.
        return None;
    }
    let metrics = &state.metrics;
    match result {
        Ok(bundle) => {
            let rules = bundle.policies.rules().len();
            let generation = state.replace_bundle(bundle);
            Metrics::reload(&metrics.policy_reloads, true);
            metrics.policy_reload_ok.set(1);
            tracing::info!(generation, rules, "policies reloaded");
        }
        Err(errors) => {
            Metrics::reload(&metrics.policy_reloads, false);
            metrics.policy_reload_ok.set(0);
            tracing::error!(
                errors = errors.join("\n").as_str(),
                generation = state.bundle().generation,
                "policy reload failed; the previous policies keep serving"
            );
        }
    }
    Some(before)
}

/// Reloads the certificate if it changed; returns the fingerprint now handled.
fn reload_certificate(
    metrics: &Metrics,
    resolver: &Resolver,
    sources: &Sources,
    previous: u64,
) -> Option<u64> {
    let (fingerprint, bytes) = cert_bytes(sources);
    if fingerprint == previous {
        return None;
    }
    let result = match bytes {
        Some((cert, key)) => tls::from_pem(&cert, &key),
        None => tls::load(&sources.tls_cert, &sources.tls_key),
    };
    match result {
        Ok(key) => {
            resolver.replace(key);
            Metrics::reload(&metrics.certificate_reloads, true);
            metrics.certificate_reload_ok.set(1);
            tracing::info!(cert = %sources.tls_cert.display(), "certificate reloaded");
        }
        Err(e) => {
            if cert_bytes(sources).0 != fingerprint {
                // A Secret update in progress: the pair was read half old, half new.
                return None;
            }
            Metrics::reload(&metrics.certificate_reloads, false);
            metrics.certificate_reload_ok.set(0);
            tracing::error!(error = %e, "certificate reload failed; the previous certificate keeps serving");
        }
    }
    Some(fingerprint)
}
