//! The admission webhook (`policy serve`): real AdmissionReview bodies
//! (`tests/data/admission/`) over real HTTPS on loopback with certificates made
//! here (rcgen), the router without a socket for the rest, and the binary itself
//! for logs and SIGTERM. Reloads replace directories the way the kubelet updates
//! a mounted ConfigMap or Secret: a new timestamped directory, then an atomic
//! rename of the `..data` symlink.
#![cfg(feature = "server")]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use railyard::engine::EngineKind;
use railyard::server::{
    self, DecisionSettings, FailureMode, Limits, Mode, Network, Settings, Sources, State,
};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::{check_json, ROOT};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/admission");

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(DATA).join(name)).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("JSON serializes")
}

/// A review around an object, shaped as the API server sends a CREATE.
pub(crate) fn create_review(object: &Value, uid: &str) -> Value {
    let api_version = object["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let kind = object["kind"].as_str().unwrap_or("");
    let mut request = json!({
        "uid": uid,
        "kind": {"group": group, "version": version, "kind": kind},
        "resource": {"group": group, "version": version, "resource": format!("{}s", kind.to_lowercase())},
        "requestKind": {"group": group, "version": version, "kind": kind},
        "requestResource": {"group": group, "version": version, "resource": format!("{}s", kind.to_lowercase())},
        "name": object["metadata"]["name"].as_str().unwrap_or(""),
        "operation": "CREATE",
        "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
        "object": object,
        "oldObject": null,
        "dryRun": false,
        "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
    });
    if let Some(ns) = object["metadata"]["namespace"].as_str() {
        request["namespace"] = json!(ns);
    }
    json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "request": request})
}

fn write_policy(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("policy dir");
    std::fs::write(dir.join(name), text).expect("policy written");
    dir.to_owned()
}

fn sources(policy: Option<&Path>) -> Sources {
    Sources {
        policy_paths: policy.map(|p| vec![p.to_owned()]).unwrap_or_default(),
        data_paths: vec![],
        waivers: None,
        inventory: None,
        engine: EngineKind::Vm,
        tls_cert: PathBuf::new(),
        tls_key: PathBuf::new(),
        reload_interval: None,
    }
}

/// State for router-level tests (no socket), marked serving, on the default engine.
fn state(policy: Option<&Path>, decisions: DecisionSettings, limits: Limits) -> Arc<State> {
    state_on(EngineKind::Vm, policy, decisions, limits)
}

/// [`state`] on a given engine.
fn state_on(
    engine: EngineKind,
    policy: Option<&Path>,
    decisions: DecisionSettings,
    limits: Limits,
) -> Arc<State> {
    let sources = Sources {
        engine,
        ..sources(policy)
    };
    let policies = server::reload::compile(&sources, limits.timeout).expect("policies compile");
    let state = State::new(policies, decisions, limits);
    state.set_serving(true);
    state
}

fn enforce() -> DecisionSettings {
    DecisionSettings::default()
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    fn response(&self) -> &Value {
        &self.body["response"]
    }
    fn allowed(&self) -> bool {
        self.response()["allowed"] == true
    }
    fn message(&self) -> &str {
        self.response()["status"]["message"].as_str().unwrap_or("")
    }
    fn warnings(&self) -> Vec<String> {
        self.response()["warnings"]
            .as_array()
            .map(|w| {
                w.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Rule ids in the denial message (`[ID] message` lines).
    fn denied_ids(&self) -> BTreeSet<String> {
        bracketed(self.message().lines())
    }
}

fn bracketed<'a>(lines: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    lines
        .filter_map(|l| l.strip_prefix('[')?.split_once(']'))
        .map(|(id, _)| id.to_owned())
        .collect()
}

async fn post(router: &Router, body: impl Into<Body>) -> Reply {
    let request = Request::post("/validate")
        .header("content-type", "application/json")
        .body(body.into())
        .expect("request builds");
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let raw = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body reads");
    Reply {
        status,
        headers,
        body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
    }
}

async fn get_text(router: &Router, path: &str) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("router answers");
    let status = response.status();
    let raw = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body reads");
    (status, String::from_utf8_lossy(&raw).into_owned())
}

/// The value of a sample in Prometheus text (0 when absent).
fn sample(metrics: &str, name_and_labels: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name_and_labels)?.trim().parse().ok())
        .unwrap_or(0.0)
}

// ---------------------------------------------------------------- TLS helpers

pub(crate) struct Pki {
    pub ca: String,
    pub cert: String,
    pub key: String,
}

pub(crate) fn pki(name: &str) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, format!("{name} test CA"));
    let ca = ca_params.self_signed(&ca_key).expect("CA cert");
    let key = KeyPair::generate().expect("leaf key");
    let params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("leaf params");
    let cert = params.signed_by(&key, &ca, &ca_key).expect("leaf cert");
    Pki {
        ca: ca.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

pub(crate) fn client(cas: &[&str]) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .timeout(Duration::from_secs(60));
    for ca in cas {
        builder = builder
            .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).expect("CA PEM"));
    }
    builder.build().expect("client builds")
}

/// A client that opens a new connection (so a new handshake) per request.
fn fresh_client(cas: &[&str]) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60));
    for ca in cas {
        builder = builder
            .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).expect("CA PEM"));
    }
    builder.build().expect("client builds")
}

/// A directory laid out as the kubelet lays out a mounted ConfigMap or Secret.
struct Projected {
    root: PathBuf,
    version: usize,
}

impl Projected {
    fn new(root: &Path, files: &[(&str, &str)]) -> Projected {
        std::fs::create_dir_all(root).expect("projected dir");
        let mut p = Projected {
            root: root.to_owned(),
            version: 0,
        };
        p.update(files);
        for (name, _) in files {
            std::os::unix::fs::symlink(format!("..data/{name}"), root.join(name)).expect("link");
        }
        p
    }

    /// Writes a new version and swaps `..data` to it in one rename.
    fn update(&mut self, files: &[(&str, &str)]) {
        self.version += 1;
        let dir_name = format!("..2026_01_01_00_00_{:02}.{}", self.version, self.version);
        let dir = self.root.join(&dir_name);
        std::fs::create_dir(&dir).expect("version dir");
        for (name, text) in files {
            std::fs::write(dir.join(name), text).expect("file written");
        }
        let tmp = self.root.join("..data_tmp");
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&dir_name, &tmp).expect("tmp link");
        std::fs::rename(&tmp, self.root.join("..data")).expect("atomic swap");
    }
}

struct Server {
    running: server::Running,
    _dir: tempfile::TempDir,
}

pub(crate) fn https_settings(dir: &Path, policy: Option<&Path>) -> Settings {
    Settings {
        network: Network {
            addr: ([127, 0, 0, 1], 0).into(),
            probe_addr: ([127, 0, 0, 1], 0).into(),
            shutdown_delay: Duration::ZERO,
            drain_timeout: Duration::from_secs(10),
        },
        sources: Sources {
            policy_paths: policy.map(|p| vec![p.to_owned()]).unwrap_or_default(),
            data_paths: vec![],
            waivers: None,
            inventory: None,
            engine: EngineKind::Vm,
            tls_cert: dir.join("tls/tls.crt"),
            tls_key: dir.join("tls/tls.key"),
            reload_interval: Some(Duration::from_millis(100)),
        },
        decisions: enforce(),
        limits: Limits {
            timeout: Duration::from_secs(10),
            ..Limits::default()
        },
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.running.addr.port())
    }
    fn probe(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.running.probe_addr.port())
    }
    async fn metrics(&self) -> String {
        reqwest::get(self.probe("/metrics"))
            .await
            .expect("metrics answer")
            .text()
            .await
            .expect("metrics text")
    }
}

async fn post_https(
    client: &reqwest::Client,
    url: &str,
    body: Vec<u8>,
) -> Result<Reply, reqwest::Error> {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
    let mut headers = HeaderMap::new();
    for (k, v) in response.headers() {
        if let (Ok(k), Ok(v)) = (
            axum::http::HeaderName::from_bytes(k.as_str().as_bytes()),
            axum::http::HeaderValue::from_bytes(v.as_bytes()),
        ) {
            headers.insert(k, v);
        }
    }
    let raw = response.bytes().await?;
    Ok(Reply {
        status,
        headers,
        body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
    })
}

// ------------------------------------------------------------- HTTPS tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_admission_reviews_over_https() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = pki("main");
    Projected::new(
        &dir.path().join("tls"),
        &[("tls.crt", &pki.cert), ("tls.key", &pki.key)],
    );
    let running = server::start(https_settings(dir.path(), None))
        .await
        .expect("server starts");
    let s = Server { running, _dir: dir };
    let h2 = client(&[&pki.ca]);
    let h1 = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .http1_only()
        .add_root_certificate(reqwest::Certificate::from_pem(pki.ca.as_bytes()).expect("CA"))
        .build()
        .expect("client");
    let ready = reqwest::get(s.probe("/readyz")).await.expect("readyz");
    assert_eq!(ready.status(), 200);

    // (fixture, allowed, rule ids that must be in the denial)
    let cases: &[(&str, bool, &[&str])] = &[
        (
            "create-deployment.json",
            false,
            &["K8S-POD-015", "K8S-POD-017", "K8S-BP-001"],
        ),
        ("create-deployment-dry-run.json", false, &["K8S-POD-015"]),
        ("update-deployment.json", false, &["K8S-BP-001"]),
        ("delete-pod.json", true, &[]),
        ("create-namespace.json", true, &[]),
        ("create-clusterrole.json", false, &["K8S-RBAC-001"]),
        ("update-deployment-scale.json", true, &[]),
        ("update-pod-status.json", true, &[]),
    ];
    for (i, (name, allowed, ids)) in cases.iter().enumerate() {
        let review = fixture(name);
        let client = if i % 2 == 0 { &h2 } else { &h1 };
        let reply = post_https(client, &s.url("/validate"), bytes(&review))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(reply.status, StatusCode::OK, "{name}: {:?}", reply.body);
        assert_eq!(reply.body["apiVersion"], "admission.k8s.io/v1", "{name}");
        assert_eq!(reply.body["kind"], "AdmissionReview", "{name}");
        assert_eq!(
            reply.response()["uid"],
            review["request"]["uid"],
            "{name}: uid echoed"
        );
        assert_eq!(reply.allowed(), *allowed, "{name}: {:#}", reply.body);
        if !allowed {
            assert_eq!(reply.response()["status"]["code"], 403, "{name}");
            assert_eq!(reply.response()["status"]["reason"], "Forbidden", "{name}");
            let denied = reply.denied_ids();
            for id in *ids {
                assert!(denied.contains(*id), "{name}: {id} not in {denied:?}");
            }
        }
        for w in reply.warnings() {
            assert!(w.chars().count() < 120, "{name}: warning too long: {w}");
        }
    }

    // v1beta1 gets a clear refusal, not a crash or a wrong-version answer.
    let reply = post_https(
        &h2,
        &s.url("/validate"),
        bytes(&fixture("v1beta1-update-pod.json")),
    )
    .await
    .expect("answer");
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["kind"], "Status");
    let message = reply.body["message"].as_str().unwrap_or("");
    assert!(
        message.contains("admission.k8s.io/v1beta1 is not supported"),
        "{message}"
    );
    assert!(message.contains("admissionReviewVersions"), "{message}");

    // 10 MB: refused with 413 before it is read, and the server goes on.
    let huge = vec![b' '; 10 * 1024 * 1024];
    let reply = post_https(&h2, &s.url("/validate"), huge)
        .await
        .expect("answer");
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body["message"]
        .as_str()
        .unwrap_or("")
        .contains("--max-body-bytes"));
    let again = post_https(&h2, &s.url("/validate"), bytes(&fixture("delete-pod.json")))
        .await
        .expect("still serving");
    assert!(again.allowed());

    let metrics = s.metrics().await;
    for name in [
        "railyard_admission_requests_total",
        "railyard_evaluation_duration_seconds_bucket",
        "railyard_evaluation_errors_total",
        "railyard_evaluation_timeouts_total",
        "railyard_policy_reloads_total",
        "railyard_loaded_rules",
        "railyard_requests_in_flight",
    ] {
        assert!(
            metrics.contains(name),
            "{name} missing from /metrics:\n{metrics}"
        );
    }
    assert_eq!(
        sample(
            &metrics,
            r#"railyard_admission_requests_total{operation="CREATE",kind="Deployment",decision="deny"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(
            &metrics,
            r#"railyard_admission_requests_total{operation="DELETE",kind="Pod",decision="skip"}"#
        ),
        2.0
    );
    assert!(sample(&metrics, "railyard_loaded_rules") > 20.0);

    // A large object (evaluated off the worker that read it) gets the same decision.
    let small = fixture("create-deployment.json");
    let mut large = small.clone();
    large["request"]["object"]["metadata"]["annotations"]["notes"] = json!("x".repeat(256 * 1024));
    let replies = [
        post_https(&h2, &s.url("/validate"), bytes(&small)).await,
        post_https(&h2, &s.url("/validate"), bytes(&large)).await,
    ]
    .map(|r| r.expect("answered"));
    assert_eq!(replies[1].status, StatusCode::OK, "{:?}", replies[1].body);
    assert!(!replies[1].allowed());
    assert_eq!(replies[0].denied_ids(), replies[1].denied_ids());
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policies_reload_under_load_and_a_broken_update_keeps_the_last_good_set() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = pki("reload");
    Projected::new(
        &dir.path().join("tls"),
        &[("tls.crt", &pki.cert), ("tls.key", &pki.key)],
    );
    let rule = |id: &str| {
        format!(
            "# METADATA\n# custom:\n#   id: {id}\npackage reload\n\ndeny contains \"{id} says no\" if input.metadata.labels.team == \"x\"\n"
        )
    };
    let policies = dir.path().join("policies");
    let mut configmap = Projected::new(&policies, &[("rule.rego", &rule("RULE-V1"))]);
    let running = server::start(https_settings(dir.path(), Some(&policies)))
        .await
        .expect("server starts");
    let s = Arc::new(Server { running, _dir: dir });
    let review = create_review(
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "apps", "labels": {"team": "x"}}}),
        "11111111-2222-4333-8444-555555555555",
    );
    let body = bytes(&review);

    // Two clients keep requests in flight through every swap.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut loops = Vec::new();
    for _ in 0..2 {
        let (s, stop, seen, failures, body) = (
            s.clone(),
            stop.clone(),
            seen.clone(),
            failures.clone(),
            body.clone(),
        );
        let client = client(&[&pki.ca]);
        loops.push(tokio::spawn(async move {
            let started = Instant::now();
            // Bounded: stops when told, or after 60 s whatever happens.
            while !stop.load(std::sync::atomic::Ordering::SeqCst)
                && started.elapsed() < Duration::from_secs(60)
            {
                // When the request was sent: one sent after the new rules answered
                // must get them, while one sent before may still finish on the old ones.
                let sent = Instant::now();
                match post_https(&client, &s.url("/validate"), body.clone()).await {
                    Ok(r) if r.status == StatusCode::OK && !r.allowed() => {
                        let ids: Vec<String> = r.denied_ids().into_iter().collect();
                        seen.lock().expect("lock").push((sent, ids.join(",")));
                    }
                    Ok(r) => failures
                        .lock()
                        .expect("lock")
                        .push(format!("{}: {}", r.status, r.body)),
                    Err(e) => failures.lock().expect("lock").push(e.to_string()),
                }
            }
        }));
    }
    let wait_for = |id: &'static str, seen: Arc<Mutex<Vec<(Instant, String)>>>| async move {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if seen
                .lock()
                .expect("lock")
                .iter()
                .rev()
                .take(3)
                .all(|(_, ids)| ids == id)
                && !seen.lock().expect("lock").is_empty()
            {
                return Instant::now();
            }
            assert!(Instant::now() < deadline, "{id} never applied");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    wait_for("RULE-V1", seen.clone()).await;

    let swapped = Instant::now();
    configmap.update(&[("rule.rego", &rule("RULE-V2"))]);
    let applied = wait_for("RULE-V2", seen.clone()).await;
    assert!(
        applied - swapped < Duration::from_secs(10),
        "the new rules took {:?} to apply",
        applied - swapped
    );
    // Once V2 applied, no request sent afterwards gets V1.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(seen
        .lock()
        .expect("lock")
        .iter()
        .filter(|(t, _)| *t > applied)
        .all(|(_, ids)| ids == "RULE-V2"));

    // A broken update: V2 keeps serving, and /metrics says the reload failed.
    configmap.update(&[("rule.rego", "package reload\n\ndeny contains msg if {\n")]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let metrics = s.metrics().await;
        if sample(
            &metrics,
            r#"railyard_policy_reloads_total{result="failure"}"#,
        ) >= 1.0
        {
            assert_eq!(
                sample(&metrics, "railyard_policy_reload_ok"),
                0.0,
                "{metrics}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the failed reload never showed:\n{metrics}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after_break = Instant::now();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(seen
        .lock()
        .expect("lock")
        .iter()
        .filter(|(t, _)| *t > after_break)
        .all(|(_, ids)| ids == "RULE-V2"));

    // Fixed again: applies, and the gauge recovers.
    configmap.update(&[("rule.rego", &rule("RULE-V3"))]);
    wait_for("RULE-V3", seen.clone()).await;
    let metrics = s.metrics().await;
    assert_eq!(sample(&metrics, "railyard_policy_reload_ok"), 1.0);
    assert!(
        sample(
            &metrics,
            r#"railyard_policy_reloads_total{result="success"}"#
        ) >= 2.0
    );

    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for l in loops {
        l.await.expect("loop ends");
    }
    let failures = failures.lock().expect("lock").clone();
    assert!(
        failures.is_empty(),
        "requests failed during reloads: {failures:?}"
    );
    assert!(
        seen.lock().expect("lock").len() > 20,
        "too few requests to mean anything"
    );
    if let Ok(s) = Arc::try_unwrap(s) {
        s.running.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_rotate_without_failing_requests_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = (pki("old"), pki("new"));
    let mut secret = Projected::new(
        &dir.path().join("tls"),
        &[("tls.crt", &old.cert), ("tls.key", &old.key)],
    );
    let running = server::start(https_settings(dir.path(), None))
        .await
        .expect("server starts");
    let s = Arc::new(Server { running, _dir: dir });
    let body = bytes(&fixture("create-namespace.json"));
    assert!(
        post_https(&fresh_client(&[&old.ca]), &s.url("/validate"), body.clone())
            .await
            .is_ok()
    );
    assert!(
        post_https(&fresh_client(&[&new.ca]), &s.url("/validate"), body.clone())
            .await
            .is_err()
    );

    // During rotation the caBundle holds both CAs: no request may fail.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let traffic = {
        let (s, stop, failures, count, body) = (
            s.clone(),
            stop.clone(),
            failures.clone(),
            count.clone(),
            body.clone(),
        );
        let both = fresh_client(&[&old.ca, &new.ca]);
        tokio::spawn(async move {
            let started = Instant::now();
            while !stop.load(std::sync::atomic::Ordering::SeqCst)
                && started.elapsed() < Duration::from_secs(60)
            {
                match post_https(&both, &s.url("/validate"), body.clone()).await {
                    Ok(r) if r.status == StatusCode::OK && r.allowed() => {
                        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    Ok(r) => failures.lock().expect("lock").push(format!("{}", r.status)),
                    Err(e) => failures.lock().expect("lock").push(e.to_string()),
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    secret.update(&[("tls.crt", &new.cert), ("tls.key", &new.key)]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while post_https(&fresh_client(&[&new.ca]), &s.url("/validate"), body.clone())
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "the new certificate was never served"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        post_https(&fresh_client(&[&old.ca]), &s.url("/validate"), body.clone())
            .await
            .is_err()
    );

    // A key that does not match its certificate is refused; the current one stays.
    secret.update(&[("tls.crt", &old.cert), ("tls.key", &new.key)]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let metrics = s.metrics().await;
        if sample(
            &metrics,
            r#"railyard_certificate_reloads_total{result="failure"}"#,
        ) >= 1.0
        {
            assert_eq!(sample(&metrics, "railyard_certificate_reload_ok"), 0.0);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the bad certificate was never noticed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        post_https(&fresh_client(&[&new.ca]), &s.url("/validate"), body.clone())
            .await
            .is_ok()
    );

    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    traffic.await.expect("traffic ends");
    let failures = failures.lock().expect("lock").clone();
    assert!(
        failures.is_empty(),
        "requests failed during rotation: {failures:?}"
    );
    assert!(count.load(std::sync::atomic::Ordering::SeqCst) > 5);
    if let Ok(s) = Arc::try_unwrap(s) {
        s.running.shutdown().await;
    }
}

// ------------------------------------------------------- router-level tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_a_400_that_says_what_is_wrong() {
    let router = server::router(state(None, enforce(), Limits::default()));
    let valid = fixture("create-deployment.json");
    let mut no_request = valid.clone();
    no_request
        .as_object_mut()
        .expect("object")
        .remove("request");
    let mut no_uid = valid.clone();
    no_uid["request"]
        .as_object_mut()
        .expect("object")
        .remove("uid");
    let mut wrong_kind = valid.clone();
    wrong_kind["kind"] = json!("Pod");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"{\"kind\": \"AdmissionReview\",".to_vec(),
            "not valid JSON",
        ),
        (b"".to_vec(), "not valid JSON"),
        (bytes(&wrong_kind), "expected kind \"AdmissionReview\""),
        (bytes(&no_request), "has no `request`"),
        (bytes(&no_uid), "`request.uid` is missing"),
        (
            bytes(&fixture("v1beta1-update-pod.json")),
            "v1beta1 is not supported",
        ),
    ];
    for (body, expected) in cases {
        let reply = post(&router, body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{expected}");
        assert_eq!(reply.body["kind"], "Status");
        assert_eq!(reply.body["code"], 400);
        let message = reply.body["message"].as_str().unwrap_or("");
        assert!(
            message.contains(expected),
            "{expected:?} not in {message:?}"
        );
    }
    // A body over the limit is cut off at the limit.
    let small = server::router(state(
        None,
        enforce(),
        Limits {
            max_body_bytes: 1024,
            ..Limits::default()
        },
    ));
    // No Content-Length header here: the limit applies while reading.
    let reply = post(&small, vec![b' '; 4096]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.body["code"], 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enforce_warn_and_dryrun_modes() {
    let review = bytes(&fixture("create-deployment.json"));
    let enforce_reply = post(
        &server::router(state(None, enforce(), Limits::default())),
        review.clone(),
    )
    .await;
    assert!(!enforce_reply.allowed());
    let failures = enforce_reply.denied_ids();
    assert!(failures.contains("K8S-POD-015"));
    // Warnings in enforce mode are the warn-level rules only.
    let warned = bracketed(enforce_reply.warnings().iter().map(String::as_str));
    assert!(
        warned.contains("K8S-BP-003") && failures.is_disjoint(&warned),
        "{warned:?}"
    );

    let warn = DecisionSettings {
        mode: Mode::Warn,
        ..enforce()
    };
    let reply = post(
        &server::router(state(None, warn, Limits::default())),
        review.clone(),
    )
    .await;
    assert!(reply.allowed());
    let all = bracketed(reply.warnings().iter().map(String::as_str));
    assert!(
        failures.is_subset(&all) && warned.is_subset(&all),
        "{all:?}"
    );
    assert!(reply.warnings().iter().all(|w| w.chars().count() < 120));

    let dry = DecisionSettings {
        mode: Mode::DryRun,
        ..enforce()
    };
    let st = state(None, dry, Limits::default());
    let reply = post(&server::router(st.clone()), review.clone()).await;
    assert!(reply.allowed());
    assert!(reply.warnings().is_empty());
    let (_, metrics) = get_text(&server::probe_router(st), "/metrics").await;
    assert_eq!(
        sample(
            &metrics,
            r#"railyard_admission_requests_total{operation="CREATE",kind="Deployment",decision="would_deny"}"#
        ),
        1.0
    );
    assert!(
        sample(
            &metrics,
            r#"railyard_findings_total{rule="K8S-POD-015",level="failure"}"#
        ) >= 1.0
    );

    // --warn-only: a rule being rolled out warns even in enforce mode.
    let rolling = DecisionSettings {
        warn_only: failures.clone(),
        ..enforce()
    };
    let reply = post(
        &server::router(state(None, rolling, Limits::default())),
        review,
    )
    .await;
    assert!(reply.allowed(), "{:#}", reply.body);
    assert!(failures.is_subset(&bracketed(reply.warnings().iter().map(String::as_str))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exempt_namespaces_are_not_evaluated() {
    let decisions = DecisionSettings {
        exempt_namespaces: ["kube-system".to_owned(), "railyard".to_owned()].into(),
        ..enforce()
    };
    let st = state(None, decisions, Limits::default());
    let router = server::router(st.clone());
    for ns in ["kube-system", "railyard"] {
        let mut review = fixture("create-deployment.json");
        review["request"]["namespace"] = json!(ns);
        review["request"]["object"]["metadata"]["namespace"] = json!(ns);
        let reply = post(&router, bytes(&review)).await;
        assert!(reply.allowed(), "{ns}");
        assert!(reply.warnings().is_empty());
    }
    // The same object elsewhere, and a cluster-scoped one, are evaluated.
    assert!(!post(&router, bytes(&fixture("create-deployment.json")))
        .await
        .allowed());
    assert!(!post(&router, bytes(&fixture("create-clusterrole.json")))
        .await
        .allowed());
    let (_, metrics) = get_text(&server::probe_router(st), "/metrics").await;
    assert_eq!(
        sample(
            &metrics,
            r#"railyard_admission_requests_total{operation="CREATE",kind="Deployment",decision="exempt"}"#
        ),
        2.0
    );
}

const CONTEXT_POLICY: &str = r#"# METADATA
# custom:
#   id: CTX-1
package ctx

import rego.v1

old_name := data.railyard.context.oldObject.metadata.name

default old_name := "none"

deny contains msg if {
	ctx := data.railyard.context
	msg := sprintf("op=%s user=%s dryRun=%v old=%s sub=%s kind=%s name=%s", [ctx.operation, ctx.userInfo.username, ctx.dryRun, old_name, ctx.subResource, input.kind, input.metadata.name])
}

deny contains "input is wrapped" if input.request
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policies_see_the_object_as_input_and_the_request_as_context() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policies = write_policy(dir.path(), "ctx.rego", CONTEXT_POLICY);
    let router = server::router(state(Some(&policies), enforce(), Limits::default()));
    let cases = [
        (
            "create-deployment.json",
            "op=CREATE user=system:admin dryRun=false old=none sub= kind=Deployment name=nginx",
        ),
        (
            "create-deployment-dry-run.json",
            "op=CREATE user=system:admin dryRun=true old=none sub= kind=Deployment name=nginx",
        ),
        (
            "update-deployment.json",
            "op=UPDATE user=minikube-user dryRun=false old=nginx sub= kind=Deployment name=nginx",
        ),
        (
            "update-deployment-scale.json",
            "op=UPDATE user=minikube-user dryRun=false old=nginx sub=scale kind=Scale name=nginx",
        ),
    ];
    for (name, expected) in cases {
        let reply = post(&router, bytes(&fixture(name))).await;
        assert_eq!(reply.message(), format!("[CTX-1] {expected}"), "{name}");
    }
    // In CI the context is undefined: the same policy finds nothing.
    let set = server::reload::compile(&sources(Some(&policies)), Duration::from_secs(5))
        .expect("compiles");
    let object = fixture("create-deployment.json")["request"]["object"].clone();
    let evaluation = set.evaluate(&object, "kubernetes", Some("Deployment"));
    assert!(
        evaluation.hits.is_empty() && evaluation.errors.is_empty(),
        "{evaluation:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_is_allowed_unless_a_policy_opts_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let protected = r#"# METADATA
# custom:
#   id: PROTECT-1
package protect

import rego.v1

deny contains "protected objects cannot be created here" if input.metadata.labels.protected == "true"
"#;
    let policies = write_policy(dir.path(), "protect.rego", protected);
    let mut delete = fixture("delete-pod.json");
    delete["request"]["oldObject"]["metadata"]["labels"] = json!({"protected": "true"});
    let mut create = fixture("create-deployment.json");
    create["request"]["object"]["metadata"]["labels"] = json!({"protected": "true"});

    // No rule opts in: DELETE is allowed without evaluation.
    let st = state(Some(&policies), enforce(), Limits::default());
    let router = server::router(st.clone());
    assert!(post(&router, bytes(&delete)).await.allowed());
    assert_eq!(
        post(&router, bytes(&create)).await.denied_ids(),
        ["PROTECT-1".to_owned()].into()
    );
    let (_, metrics) = get_text(&server::probe_router(st), "/metrics").await;
    assert_eq!(
        sample(
            &metrics,
            r#"railyard_admission_requests_total{operation="DELETE",kind="Pod",decision="skip"}"#
        ),
        1.0
    );

    // A policy opts in with `custom.operations: [DELETE]` and sees the object being deleted.
    let guard = r#"# METADATA
# custom:
#   id: PROTECT-DELETE
#   operations: [DELETE]
package protect_delete

import rego.v1

deny contains msg if {
	input.metadata.labels.protected == "true"
	data.railyard.context.operation == "DELETE"
	msg := sprintf("%s %s is protected: %s may not delete it", [input.kind, input.metadata.name, data.railyard.context.userInfo.username])
}
"#;
    write_policy(dir.path(), "guard.rego", guard);
    let router = server::router(state(Some(&policies), enforce(), Limits::default()));
    let reply = post(&router, bytes(&delete)).await;
    assert!(!reply.allowed());
    assert_eq!(
        reply.message(),
        "[PROTECT-DELETE] Pod nginx is protected: kubernetes-admin may not delete it"
    );
    // ... and only for DELETE: CREATE still runs the other rule alone.
    assert_eq!(
        post(&router, bytes(&create)).await.denied_ids(),
        ["PROTECT-1".to_owned()].into()
    );
}

const LOOP_POLICY: &str = r#"# METADATA
# custom:
#   id: SLOW-1
package slow

import rego.v1

deny contains "never" if {
	input.metadata.labels.slow == "yes"
	some a in numbers.range(1, 100000)
	some b in numbers.range(1, 100000)
	a == 0 - b
}

deny contains "fast and wrong" if input.metadata.labels.fast == "no"
"#;

fn labelled(labels: Value, uid: &str) -> Vec<u8> {
    bytes(&create_review(
        &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "apps", "labels": labels}}),
        uid,
    ))
}

/// The one documented difference between the webhook's engines
/// (docs/compatibility.md): a rule whose built-in fails is silent on the VM
/// (the default) and reaches the failure mode on the interpreter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_built_in_is_silent_on_the_vm_and_the_failure_mode_on_the_interpreter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policies = write_policy(
        dir.path(),
        "ratio.rego",
        "package acme.ratio\n\ndeny contains sprintf(\"ratio %v\", [1 / count(input.metadata.labels)]) if {\n\tinput.kind == \"ConfigMap\"\n}\n",
    );
    let body = labelled(json!({}), "aaaaaaaa-0000-4000-8000-0000000000f1");
    for (engine, allowed) in [(EngineKind::Vm, true), (EngineKind::Interpreter, false)] {
        let st = state_on(engine, Some(&policies), enforce(), Limits::default());
        let reply = post(&server::router(st), body.clone()).await;
        assert_eq!(reply.allowed(), allowed, "{engine:?}: {}", reply.body);
        if !allowed {
            assert_eq!(reply.response()["status"]["code"], 500);
            assert!(
                reply.message().contains("divide by zero"),
                "{}",
                reply.message()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_looping_policy_hits_the_deadline_and_gets_the_failure_mode_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policies = write_policy(dir.path(), "slow.rego", LOOP_POLICY);
    let limits = Limits {
        timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let slow = labelled(
        json!({"slow": "yes"}),
        "aaaaaaaa-0000-4000-8000-000000000001",
    );

    let st = state(Some(&policies), enforce(), limits.clone());
    let router = server::router(st.clone());
    let started = Instant::now();
    let reply = post(&router, slow.clone()).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the deadline did not stop it"
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.allowed());
    assert_eq!(reply.response()["status"]["code"], 500);
    assert!(
        reply.message().contains("failure-mode deny"),
        "{}",
        reply.message()
    );
    assert!(reply.message().contains("deadline"), "{}", reply.message());
    let (_, metrics) = get_text(&server::probe_router(st), "/metrics").await;
    assert_eq!(sample(&metrics, "railyard_evaluation_timeouts_total"), 1.0);

    let open = DecisionSettings {
        failure_mode: FailureMode::Allow,
        ..enforce()
    };
    let router = server::router(state(Some(&policies), open, limits));
    let reply = post(&router, slow).await;
    assert!(reply.allowed());
    assert!(
        reply
            .warnings()
            .iter()
            .any(|w| w.starts_with("[railyard] not fully evaluated")),
        "{:?}",
        reply.warnings()
    );
    // Other requests are unaffected.
    let reply = post(
        &router,
        labelled(
            json!({"fast": "no"}),
            "aaaaaaaa-0000-4000-8000-000000000002",
        ),
    )
    .await;
    assert_eq!(reply.denied_ids(), ["SLOW-1".to_owned()].into());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overload_is_shed_with_429_and_the_server_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policies = write_policy(dir.path(), "slow.rego", LOOP_POLICY);
    let limits = Limits {
        timeout: Duration::from_millis(600),
        concurrency: 1,
        max_queue: 1,
        ..Limits::default()
    };
    let st = state(Some(&policies), enforce(), limits);
    let router = server::router(st.clone());
    let mut tasks = Vec::new();
    for i in 0..10 {
        let router = router.clone();
        let body = labelled(
            json!({"slow": "yes"}),
            &format!("bbbbbbbb-0000-4000-8000-{i:012}"),
        );
        tasks.push(tokio::spawn(async move { post(&router, body).await }));
    }
    let mut shed = 0;
    let mut answered = 0;
    for t in tasks {
        let reply = t.await.expect("task");
        match reply.status {
            StatusCode::TOO_MANY_REQUESTS => {
                shed += 1;
                assert_eq!(reply.body["reason"], "TooManyRequests");
                assert_eq!(
                    reply.headers.get("retry-after").map(|v| v.as_bytes()),
                    Some(&b"1"[..])
                );
            }
            StatusCode::OK => answered += 1,
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert!(shed >= 7, "only {shed} shed ({answered} answered)");
    assert!(answered >= 1);
    // Recovered: the next request is evaluated normally.
    let reply = post(
        &router,
        labelled(
            json!({"fast": "no"}),
            "bbbbbbbb-0000-4000-8000-999999999999",
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.denied_ids(), ["SLOW-1".to_owned()].into());
    let (_, metrics) = get_text(&server::probe_router(st), "/metrics").await;
    assert_eq!(
        sample(
            &metrics,
            r#"railyard_admission_requests_total{operation="",kind="",decision="shed"}"#
        ),
        shed as f64
    );
    assert_eq!(sample(&metrics, "railyard_requests_in_flight"), 0.0);
}

/// The flags that point `policy serve` at a certificate and at ports of its
/// choosing on loopback.
fn loopback_flags<'a>(cert: &'a Path, key: &'a Path) -> Vec<&'a str> {
    vec![
        "--tls-cert",
        cert.to_str().expect("utf-8"),
        "--tls-key",
        key.to_str().expect("utf-8"),
        "--addr",
        "127.0.0.1:0",
        "--probe-addr",
        "127.0.0.1:0",
    ]
}

/// `policy serve` as a process over a fresh certificate and the loop policy
/// (in a directory laid out as a mounted ConfigMap), on loopback ports of its
/// choosing, with `flags` added.
struct Binary {
    /// Killed on drop.
    process: Process,
    policies: Projected,
    /// `https://localhost:PORT/validate`.
    url: String,
    /// `http://127.0.0.1:PORT`, the probe listener.
    probe: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Binary {
    fn start(flags: &[&str]) -> Binary {
        let dir = tempfile::tempdir().expect("tempdir");
        let pki = pki("slow-binary");
        Projected::new(
            &dir.path().join("tls"),
            &[("tls.crt", &pki.cert), ("tls.key", &pki.key)],
        );
        let policy_dir = dir.path().join("policies");
        let policies = Projected::new(&policy_dir, &[("slow.rego", LOOP_POLICY)]);
        let (cert, key) = (
            dir.path().join("tls/tls.crt"),
            dir.path().join("tls/tls.key"),
        );
        let mut args = loopback_flags(&cert, &key);
        args.extend([
            "-p",
            policy_dir.to_str().expect("utf-8"),
            "--shutdown-delay",
            "0",
        ]);
        args.extend_from_slice(flags);
        let process = Process::start(&args);
        let serving = process.wait_for("serving");
        let port = |field: &str| -> u16 {
            let addr: std::net::SocketAddr = serving[field]
                .as_str()
                .expect("address logged")
                .parse()
                .expect("address parses");
            addr.port()
        };
        Binary {
            url: format!("https://localhost:{}/validate", port("addr")),
            probe: format!("http://127.0.0.1:{}", port("probe_addr")),
            // One HTTP/2 connection, as the API server keeps.
            client: client(&[&pki.ca]),
            process,
            policies,
            _dir: dir,
        }
    }

    /// Posts a ConfigMap with these labels (see LOOP_POLICY), in a task.
    fn post(&self, labels: Value, uid: &str) -> tokio::task::JoinHandle<Reply> {
        let (client, url, body) = (self.client.clone(), self.url.clone(), labelled(labels, uid));
        tokio::spawn(async move { post_https(&client, &url, body).await.expect("answered") })
    }
}

/// The server's workers evaluate requests in place: with every worker held by
/// a slow evaluation, the probes (on a thread of their own) still answer at
/// once. The binary, so that the server's workers are its own and the probes
/// go over a real socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_and_metrics_answer_while_every_worker_evaluates_a_slow_policy() {
    let server = Binary::start(&["--workers", "2", "--concurrency", "2", "--timeout", "2"]);
    // As many slow evaluations as the server has workers: each holds its thread.
    let slow: Vec<_> = (0..2)
        .map(|i| {
            server.post(
                json!({"slow": "yes"}),
                &format!("cccccccc-0000-4000-8000-{i:012}"),
            )
        })
        .collect();
    let get = |path: &str| {
        let url = format!("{}{path}", server.probe);
        async move {
            let started = Instant::now();
            let response = reqwest::get(url).await.expect("probe answers");
            let status = response.status().as_u16();
            let text = response.text().await.expect("probe text");
            (status, text, started.elapsed())
        }
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, metrics, took) = get("/metrics").await;
        assert!(
            took < Duration::from_millis(300),
            "/metrics waited {took:?} for an evaluation"
        );
        if sample(&metrics, "railyard_requests_in_flight") == 2.0 {
            break;
        }
        assert!(Instant::now() < deadline, "the slow requests never started");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for path in ["/livez", "/readyz", "/metrics"] {
        let (status, _, took) = get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            took < Duration::from_millis(300),
            "{path} waited {took:?} for an evaluation"
        );
    }
    assert!(
        slow.iter().all(|t| !t.is_finished()),
        "the probes were not answered during the evaluations"
    );
    for t in slow {
        let reply = t.await.expect("task");
        assert!(reply.message().contains("deadline"), "{}", reply.message());
    }
}

/// A burst larger than the slots and the queue, while the server's only
/// worker is held by an evaluation: the backlog is read and shed with 429 at
/// once rather than served one by one behind the evaluations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_the_queue_is_shed_at_once_while_the_worker_evaluates() {
    let server = Binary::start(&[
        "--workers",
        "1",
        "--concurrency",
        "1",
        "--max-queue",
        "2",
        "--timeout",
        "0.3",
    ]);
    let warm = server
        .post(
            json!({"fast": "no"}),
            "dddddddd-0000-4000-8000-000000000000",
        )
        .await
        .expect("task");
    assert_eq!(warm.denied_ids(), ["SLOW-1".to_owned()].into());
    const BURST: usize = 20;
    let started = Instant::now();
    let burst: Vec<_> = (1..=BURST)
        .map(|i| {
            server.post(
                json!({"slow": "yes"}),
                &format!("dddddddd-0000-4000-8000-{i:012}"),
            )
        })
        .collect();
    let mut shed = 0;
    for t in burst {
        let reply = t.await.expect("task");
        match reply.status {
            StatusCode::TOO_MANY_REQUESTS => shed += 1,
            StatusCode::OK => assert!(reply.message().contains("deadline"), "{}", reply.message()),
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    let took = started.elapsed();
    // One evaluating and two queued at a time: most of the burst is shed
    // (how many depends on how the requests' arrivals batch up).
    assert!(shed >= BURST / 2, "only {shed} of {BURST} shed");
    // Served one by one, the burst would take BURST x the 0.3 s deadline.
    assert!(took < Duration::from_secs(4), "the burst took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_follow_the_server_lifecycle() {
    let st = state(None, enforce(), Limits::default());
    let probes = server::probe_router(st.clone());
    assert_eq!(get_text(&probes, "/livez").await.0, StatusCode::OK);
    assert_eq!(get_text(&probes, "/readyz").await.0, StatusCode::OK);
    st.set_serving(false);
    assert_eq!(
        get_text(&probes, "/readyz").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    st.set_serving(true);
    st.set_draining();
    assert_eq!(
        get_text(&probes, "/readyz").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(get_text(&probes, "/livez").await.0, StatusCode::OK);
    let (status, metrics) = get_text(&probes, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(metrics.contains("# TYPE railyard_admission_requests counter"));
    assert!(metrics.contains("# TYPE railyard_evaluation_duration_seconds histogram"));
}

// ------------------------------------------------- same decision as the CLI

/// (rule, message) pairs.
type Said = BTreeSet<(String, String)>;

fn parse_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Said {
    lines
        .filter_map(|l| {
            let (id, msg) = l.strip_prefix('[')?.split_once("] ")?;
            Some((id.to_owned(), msg.to_owned()))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_and_policy_check_decide_the_same_for_every_fixture() {
    let decisions = DecisionSettings {
        exempt_namespaces: BTreeSet::new(),
        ..enforce()
    };
    let router = server::router(state(None, decisions, Limits::default()));
    let mut compared = 0;
    for dir in ["fixtures/kubernetes/good", "fixtures/kubernetes/bad"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
            .collect();
        files.sort();
        for file in files {
            let rel = file.strip_prefix(ROOT).expect("under root").to_owned();
            let (_, report) = check_json([rel.as_os_str()]);
            // What policy check said, per document.
            let mut cli: BTreeMap<u64, (Said, Said)> = BTreeMap::new();
            for f in report["findings"].as_array().expect("findings") {
                let entry = cli
                    .entry(f["document"].as_u64().expect("document"))
                    .or_default();
                let pair = (
                    f["rule"].as_str().expect("rule").to_owned(),
                    f["message"].as_str().expect("message").to_owned(),
                );
                if f["level"] == "failure" {
                    entry.0.insert(pair);
                } else {
                    entry.1.insert(pair);
                }
            }
            // The same documents, as the API server would send them.
            let source = railyard::source::SourceFile::new(
                rel.display().to_string(),
                std::fs::read_to_string(&file).expect("fixture reads"),
            );
            let loaded = railyard::input::load(&source, railyard::input::Limits::default())
                .expect("fixture loads");
            for doc in loaded.documents {
                let uid = format!("00000000-0000-4000-8000-{:012}", compared);
                let reply = post(&router, bytes(&create_review(&doc.value, &uid))).await;
                assert_eq!(
                    reply.status,
                    StatusCode::OK,
                    "{}: {}",
                    rel.display(),
                    reply.body
                );
                let failures = parse_lines(reply.message().lines());
                let warnings = parse_lines(reply.warnings().iter().map(String::as_str));
                let (want_failures, want_warnings) =
                    cli.remove(&(doc.index as u64)).unwrap_or_default();
                assert_eq!(
                    failures,
                    want_failures,
                    "{} document {}: failures differ",
                    rel.display(),
                    doc.index
                );
                assert_eq!(
                    reply.allowed(),
                    want_failures.is_empty(),
                    "{}",
                    rel.display()
                );
                // Warnings are cut at 119 characters for the API server.
                assert_eq!(
                    warnings.len(),
                    want_warnings.len(),
                    "{}: warnings differ",
                    rel.display()
                );
                for ((id, msg), (want_id, want_msg)) in warnings.iter().zip(&want_warnings) {
                    assert_eq!(id, want_id, "{}", rel.display());
                    match msg.strip_suffix("...") {
                        Some(prefix) if msg != want_msg => assert!(
                            want_msg.starts_with(prefix),
                            "{}: {msg} vs {want_msg}",
                            rel.display()
                        ),
                        _ => assert_eq!(msg, want_msg, "{}", rel.display()),
                    }
                }
                compared += 1;
            }
            assert!(
                cli.is_empty(),
                "{}: findings on documents the webhook never saw: {cli:?}",
                rel.display()
            );
        }
    }
    assert!(compared >= 45, "only {compared} documents compared");
}

// ------------------------------------------------------------- the binary

struct Process {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn start(args: &[&str]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy"))
            .arg("serve")
            .args(args)
            .env_remove("POD_NAMESPACE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("policy serve starts");
        let lines: Arc<Mutex<Vec<String>>> = Arc::default();
        let stdout = child.stdout.take().expect("stdout");
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().expect("lock").push(line);
            }
        });
        Process { child, lines }
    }

    /// Waits for a JSON log line with this message.
    fn wait_for(&self, message: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(v) = self
                .lines
                .lock()
                .expect("lock")
                .iter()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .find(|v| v["message"] == message)
            {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "no {message:?} line in {:?}",
                self.lines.lock().expect("lock")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("policy serve did not exit within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_logs_decisions_and_failed_reloads_and_drains_on_sigterm() {
    let mut server = Binary::start(&["--timeout", "1.5", "--reload-interval", "0.1"]);
    let Binary {
        process,
        policies: configmap,
        url,
        probe,
        client,
        ..
    } = &mut server;

    // A decision line: who, what, the outcome; never the object.
    let mut review = fixture("update-deployment.json");
    review["request"]["object"]["metadata"]["labels"] = json!({"fast": "no"});
    let reply = post_https(client, url, bytes(&review))
        .await
        .expect("answer");
    assert_eq!(reply.denied_ids(), ["SLOW-1".to_owned()].into());
    let line = process.wait_for("decision");
    assert_eq!(line["uid"], review["request"]["uid"]);
    assert_eq!(line["operation"], "UPDATE");
    assert_eq!(line["kind"], "Deployment");
    assert_eq!(line["namespace"], "default");
    assert_eq!(line["name"], "nginx");
    assert_eq!(line["user"], "minikube-user");
    assert_eq!(line["decision"], "deny");
    assert_eq!(line["rules"], "SLOW-1");
    assert!(line["duration_ms"].as_f64().is_some());
    let all = process.lines.lock().expect("lock").join("\n");
    for secret in [
        "managedFields",
        "nginx:latest",
        "last-applied-configuration",
        "system:masters",
    ] {
        assert!(!all.contains(secret), "the log holds {secret:?}:\n{all}");
    }

    // A broken policy update: logged, counted, and the old policies keep serving.
    configmap.update(&[("slow.rego", "package slow\n\ndeny contains msg if {\n")]);
    let failed = process.wait_for("policy reload failed; the previous policies keep serving");
    assert!(
        failed["errors"]
            .as_str()
            .unwrap_or("")
            .contains("slow.rego"),
        "{failed}"
    );
    let metrics = reqwest::get(format!("{probe}/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert_eq!(sample(&metrics, "railyard_policy_reload_ok"), 0.0);
    let reply = post_https(client, url, bytes(&review))
        .await
        .expect("answer");
    assert_eq!(reply.denied_ids(), ["SLOW-1".to_owned()].into());

    // SIGTERM while a slow request is in flight: it is answered, then the process exits 0.
    let mut slow = fixture("update-deployment.json");
    slow["request"]["object"]["metadata"]["labels"] = json!({"slow": "yes"});
    let in_flight = {
        let (client, url, body) = (client.clone(), url.clone(), bytes(&slow));
        tokio::spawn(async move { post_https(&client, &url, body).await })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    process.terminate();
    let reply = in_flight
        .await
        .expect("task")
        .expect("the in-flight request was answered");
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.response()["status"]["code"], 500, "{}", reply.body);
    let status = process.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "exit status {status:?}");
    process.wait_for("stopped");
    assert!(
        post_https(client, url, bytes(&review)).await.is_err(),
        "still accepting after drain"
    );
}

#[test]
fn serve_refuses_to_start_without_a_usable_certificate_or_policies() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("tls.crt"), "not a certificate").expect("write");
    std::fs::write(dir.path().join("tls.key"), "not a key").expect("write");
    let cert = dir.path().join("tls.crt");
    let key = dir.path().join("tls.key");
    // `policy serve` on loopback with this certificate and these extra arguments.
    let serve = |extra: &[&str]| {
        let mut args = vec!["serve"];
        args.extend(loopback_flags(&cert, &key));
        args.extend_from_slice(extra);
        crate::support::run(args, None)
    };
    let run = serve(&[]);
    run.assert_code(2);
    assert!(run.stderr.contains("TLS"), "{run}");

    let broken = write_policy(
        &dir.path().join("p"),
        "bad.rego",
        "package bad\n\ndeny contains msg if {\n",
    );
    let pki = pki("refuse");
    std::fs::write(&cert, &pki.cert).expect("write");
    std::fs::write(&key, &pki.key).expect("write");
    let run = serve(&["-p", broken.to_str().expect("utf-8")]);
    run.assert_code(2);
    assert!(run.stderr.contains("bad.rego"), "{run}");
}

#[test]
fn the_deploy_policies_are_the_built_in_kubernetes_library() {
    let deploy = Path::new(ROOT).join("deploy/base/policies");
    let library = Path::new(ROOT).join("policies/kubernetes");
    let list = |dir: &Path| -> BTreeMap<String, String> {
        std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.ends_with(".rego") && !name.ends_with("_test.rego")
            })
            .map(|p| {
                (
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or("")
                        .to_owned(),
                    std::fs::read_to_string(&p).expect("reads"),
                )
            })
            .collect()
    };
    let copied = list(&deploy);
    assert!(
        copied == list(&library),
        "deploy/base/policies differs from policies/kubernetes: run scripts/sync-deploy-policies.sh"
    );
    let kustomization =
        std::fs::read_to_string(Path::new(ROOT).join("deploy/base/kustomization.yaml"))
            .expect("kustomization reads");
    let listed: BTreeSet<String> = kustomization
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- policies/"))
        .map(str::to_owned)
        .collect();
    assert!(
        listed == copied.keys().cloned().collect::<BTreeSet<_>>(),
        "deploy/base/kustomization.yaml does not list every policy: run scripts/sync-deploy-policies.sh"
    );
}

/// The image cannot be built here (no Docker engine), so its recipe is held
/// to what can be checked: it builds with the Rust that Cargo.toml declares,
/// that Rust is new enough for every locked dependency, and the final image is
/// empty apart from the binary and runs as a non-root user.
#[test]
fn the_dockerfile_builds_with_the_declared_rust_and_runs_as_non_root() {
    let read = |path: &str| {
        std::fs::read_to_string(Path::new(ROOT).join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let manifest = read("Cargo.toml");
    let declared = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .expect("Cargo.toml declares a rust-version");
    let dockerfile = read("deploy/Dockerfile");
    let stages: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("FROM "))
        .collect();
    assert_eq!(
        stages.first().map(|s| s.split_whitespace().next()),
        Some(Some(format!("rust:{declared}-alpine").as_str())),
        "the build stage's Rust is not Cargo.toml's rust-version {declared}"
    );
    assert_eq!(
        stages.last(),
        Some(&"scratch"),
        "the final image is not empty"
    );
    let user = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the image sets a user");
    let uid: u32 = user
        .split(':')
        .next()
        .and_then(|u| u.parse().ok())
        .expect("a numeric uid (Kubernetes' runAsNonRoot checks it)");
    assert_ne!(uid, 0, "the image runs as root");

    // Only this platform's packages: a build downloads no others, and
    // `--offline` cannot fetch them (the image's musl target needs the same).
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    let metadata = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(ROOT)
        .output()
        .expect("cargo metadata runs");
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let metadata: Value = serde_json::from_slice(&metadata.stdout).expect("metadata is JSON");
    // "1.95" and "1.95.0" are the same version.
    let version = |v: &str| -> [u32; 3] {
        let mut parts = v.split('.').map(|n| n.parse().unwrap_or(0));
        [0; 3].map(|_| parts.next().unwrap_or(0))
    };
    let too_new: Vec<String> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(&declared)).then(|| {
                let text = |key: &str| p[key].as_str().unwrap_or("?").to_owned();
                format!("{} {} needs {needs}", text("name"), text("version"))
            })
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version {declared} is older than locked dependencies need: {too_new:?}"
    );
}

#[tokio::test]
async fn waivers_apply_at_admission_as_in_ci() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policies = Path::new(ROOT).join("tests/data/governance/policies");
    let waivers = dir.path().join("waivers.yaml");
    // `api` is waived by kind and name; the namespace comes from the request
    // (the object leaves it out); `web` is not waived.
    std::fs::write(
        &waivers,
        "waivers:\n  - rule: GOV-REPLICAS\n    kind: Deployment\n    namespace: shop\n    name: api\n    owner: platform-team\n    reason: scaled by KEDA (TICKET-9)\n    expires: 2999-12-31\n",
    )
    .expect("waivers written");
    let mut with = sources(Some(&policies));
    with.waivers = Some(waivers);
    let compiled = server::reload::compile(&with, Duration::from_secs(5)).expect("compiles");
    let loaded = server::reload::load_waivers(&with).expect("waivers load");
    let state = State::with_waivers(compiled, loaded, enforce(), Limits::default());
    state.set_serving(true);
    let router = server::router(state);

    let manifest = |name: &str| -> Value {
        let text = std::fs::read_to_string(
            Path::new(ROOT).join(format!("tests/data/governance/manifests/{name}.yaml")),
        )
        .expect("manifest");
        let mut object = serde_yaml_value(&text);
        let namespace = object["metadata"]["namespace"].take();
        object["metadata"]
            .as_object_mut()
            .expect("metadata")
            .remove("namespace");
        let mut review = create_review(&object, &format!("uid-{name}"));
        review["request"]["namespace"] = namespace;
        review
    };
    let api = post(&router, bytes(&manifest("api"))).await;
    assert_eq!(api.response()["allowed"], true, "{:#}", api.body);
    let web = post(&router, bytes(&manifest("web"))).await;
    assert_eq!(web.response()["allowed"], false, "{:#}", web.body);
    assert!(web.message().contains("[GOV-REPLICAS]"), "{:#}", web.body);
}

/// The JSON value of a one-document YAML manifest, read as `policy parse` reads it.
fn serde_yaml_value(text: &str) -> Value {
    let source = railyard::source::SourceFile::new("manifest.yaml", text);
    let loaded = railyard::input::load(&source, railyard::input::Limits::default())
        .expect("manifest parses");
    loaded.documents[0].value.clone()
}

#[tokio::test]
async fn identical_objects_reuse_the_verdict_until_the_policies_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policies = write_policy(
        &dir.path().join("p"),
        "replicas.rego",
        "package cache\n\ndeny contains \"one replica\" if input.spec.replicas == 1\n",
    );
    let state = state(Some(&policies), enforce(), Limits::default());
    let router = server::router(state.clone());
    let hits = |metrics: &str| sample(metrics, "railyard_decision_cache_hits_total");
    let object = |replicas: i64| {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "shop"}, "spec": {"replicas": replicas}})
    };

    let first = post(&router, bytes(&create_review(&object(1), "uid-1"))).await;
    let again = post(&router, bytes(&create_review(&object(1), "uid-2"))).await;
    assert_eq!(
        again.response()["uid"],
        "uid-2",
        "the uid is the request's own"
    );
    assert_eq!(first.response()["allowed"], false);
    assert_eq!(again.message(), first.message());
    let (_, metrics) = get_text(&server::probe_router(state.clone()), "/metrics").await;
    assert_eq!(hits(&metrics), 1.0, "{metrics}");

    // A different object is evaluated.
    let other = post(&router, bytes(&create_review(&object(3), "uid-3"))).await;
    assert_eq!(other.response()["allowed"], true);

    // New policies: the remembered verdict no longer applies.
    let relaxed = write_policy(&dir.path().join("q"), "none.rego", "package cache\n");
    let set = server::reload::compile(&sources(Some(&relaxed)), Duration::from_secs(5))
        .expect("compiles");
    state.replace_policies(set, None);
    let after = post(&router, bytes(&create_review(&object(1), "uid-4"))).await;
    assert_eq!(after.response()["allowed"], true, "{:#}", after.body);
    let (_, metrics) = get_text(&server::probe_router(state.clone()), "/metrics").await;
    assert_eq!(hits(&metrics), 1.0, "{metrics}");
}

#[tokio::test]
async fn policies_that_read_the_request_context_are_never_cached() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policies = write_policy(
        &dir.path().join("p"),
        "user.rego",
        "package ctx\n\ndeny contains \"not an admin\" if data.railyard.context.userInfo.username != \"admin\"\n",
    );
    let state = state(Some(&policies), enforce(), Limits::default());
    let router = server::router(state.clone());
    let object = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "shop"}});
    let mut review = create_review(&object, "uid-1");
    review["request"]["userInfo"]["username"] = json!("admin");
    let admin = post(&router, bytes(&review)).await;
    assert_eq!(admin.response()["allowed"], true, "{:#}", admin.body);
    review["request"]["userInfo"]["username"] = json!("intruder");
    review["request"]["uid"] = json!("uid-2");
    let intruder = post(&router, bytes(&review)).await;
    assert_eq!(intruder.response()["allowed"], false, "{:#}", intruder.body);
    let (_, metrics) = get_text(&server::probe_router(state), "/metrics").await;
    assert!(
        metrics.contains("railyard_decision_cache_hits_total 0"),
        "{metrics}"
    );
}
