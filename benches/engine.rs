//! Engine micro-benchmarks: reading a manifest, evaluating one document with the
//! full built-in library, and the floor (an empty policy set) side by side.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use railyard::engine::{CompileOptions, EngineKind, PolicySet, PolicySource};
use railyard::input::{self, Limits};
use railyard::source::SourceFile;

// The allocator the `policy` binary uses (src/main.rs), so that times match it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEPLOYMENT: &str = include_str!("../fixtures/kubernetes/bad/privileged-deployment.yaml");
const SERVICE: &str = include_str!("../fixtures/kubernetes/bad/service-nodeport.yaml");

fn compile(policies: &[PolicySource]) -> PolicySet {
    compile_with(policies, false, EngineKind::Vm)
}

fn compile_with(policies: &[PolicySource], single_engine: bool, engine: EngineKind) -> PolicySet {
    let options = CompileOptions {
        single_engine,
        engine,
        ..CompileOptions::default()
    };
    PolicySet::compile(policies, &[], &options).expect("the built-in library compiles")
}

fn first_doc(name: &str, text: &str) -> input::Document {
    let source: Arc<SourceFile> = SourceFile::new(name, text);
    input::load(&source, Limits::default())
        .expect("fixture parses")
        .documents
        .remove(0)
}

fn benches(c: &mut Criterion) {
    let library = compile(&railyard::builtin::all());
    let empty = compile(&[PolicySource {
        path: "empty.rego".into(),
        text: "package empty\n".into(),
    }]);
    let deployment = first_doc("d.yaml", DEPLOYMENT);
    let service = first_doc("s.yaml", SERVICE);

    c.bench_function("load/deployment_yaml", |b| {
        let source = SourceFile::new("d.yaml", DEPLOYMENT);
        b.iter(|| input::load(black_box(&source), Limits::default()))
    });
    c.bench_function("compile/builtin_library", |b| {
        let policies = railyard::builtin::all();
        b.iter(|| compile(black_box(&policies)))
    });
    // The same work on regorus' interpreter, with an engine per group, and on
    // one engine holding the whole library (before per-group engines).
    let interpreter = compile_with(&railyard::builtin::all(), false, EngineKind::Interpreter);
    let single = compile_with(&railyard::builtin::all(), true, EngineKind::Interpreter);
    let cases = [
        (
            "deployment/builtin_library",
            &library,
            &deployment,
            "Deployment",
        ),
        (
            "deployment/builtin_library_interpreter",
            &interpreter,
            &deployment,
            "Deployment",
        ),
        (
            "deployment/builtin_library_single_engine",
            &single,
            &deployment,
            "Deployment",
        ),
        ("service/builtin_library", &library, &service, "Service"),
        ("deployment/empty_policy", &empty, &deployment, "Deployment"),
    ];
    let mut group = c.benchmark_group("evaluate");
    for (name, set, document, kind) in cases {
        group.bench_function(name, |b| {
            b.iter(|| set.evaluate(black_box(&document.value), "kubernetes", Some(kind)))
        });
    }
    group.finish();
    #[cfg(feature = "server")]
    webhook(c);
}

/// The webhook's CPU-bound path for one AdmissionReview body (reading it,
/// deciding, metrics, the response) without TLS, HTTP or the log writer.
#[cfg(feature = "server")]
fn webhook(c: &mut Criterion) {
    use railyard::server::{self, DecisionSettings, Limits, Sources, State};
    let mut group = c.benchmark_group("webhook");
    for (label, engine) in [
        ("vm", EngineKind::Vm),
        ("interpreter", EngineKind::Interpreter),
    ] {
        let sources = Sources {
            policy_paths: vec![],
            data_paths: vec![],
            waivers: None,
            inventory: None,
            engine,
            tls_cert: Default::default(),
            tls_key: Default::default(),
            reload_interval: None,
        };
        // Every request evaluated: the decision cache would answer repeats.
        let limits = Limits {
            decision_cache: 0,
            ..Limits::default()
        };
        let policies = server::reload::compile(&sources, limits.timeout)
            .expect("the built-in library compiles");
        let state = State::new(policies, DecisionSettings::default(), limits);
        for (name, body) in [
            (
                "create_deployment",
                include_bytes!("../tests/data/admission/create-deployment.json").as_slice(),
            ),
            (
                "update_deployment",
                include_bytes!("../tests/data/admission/update-deployment.json").as_slice(),
            ),
        ] {
            group.bench_function(format!("{name}/{label}"), |b| {
                b.iter(|| server::http::process(&state, black_box(body), std::time::Instant::now()))
            });
        }
    }
    group.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
