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
}

criterion_group!(engine, benches);
criterion_main!(engine);
