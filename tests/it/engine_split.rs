//! Each rule group is evaluated on an engine holding only the modules it needs
//! (src/engine/split.rs), and, with `--engine vm`, on regorus' bytecode VM
//! (src/engine/vm/). Which modules a group needs is read from the policy text,
//! and the VM compiles the policies anew (with a guard regorus' VM needs), so
//! this checks both against the whole interpreter engine: the built-in library
//! over every fixture and every file of the shared corpus, every way, must give
//! exactly the same findings and errors.

use std::path::{Path, PathBuf};

use railyard::check::{self, CheckOptions, Report, Target};
use railyard::engine::{CompileOptions, EngineKind, PolicySet};

fn compile(single_engine: bool, engine: EngineKind) -> PolicySet {
    PolicySet::compile(
        &railyard::builtin::all(),
        &[],
        &CompileOptions {
            single_engine,
            engine,
            ..CompileOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("the built-in library compiles: {e:?}"))
}

/// What a report says, in a form two runs can be compared by.
fn summary(report: &Report) -> Vec<String> {
    let findings = report.findings.iter().map(|f| {
        format!(
            "{}:{}:{} {} {} {}",
            f.file,
            f.location.line,
            f.location.column,
            f.rule,
            f.message,
            f.severity.as_str()
        )
    });
    let errors = report
        .errors
        .iter()
        .map(|e| format!("{}:{:?} {} {}", e.file, e.line, e.code, e.message));
    findings.chain(errors).collect()
}

#[test]
fn split_engines_find_exactly_what_the_whole_engine_finds() {
    let root = Path::new(crate::support::ROOT);
    let corpus = root.join("../shared/corpus");
    assert!(
        corpus.is_dir(),
        "the shared corpus is missing at {}",
        corpus.display()
    );
    let dirs: Vec<PathBuf> = vec![
        root.join("fixtures"),
        root.join("tests/data/governance"),
        corpus,
    ];
    let (files, _) = check::discover(&dirs);
    assert!(files.len() > 100, "too few inputs: {}", files.len());
    let targets: Vec<Target> = files.into_iter().map(Target::File).collect();
    let options = CheckOptions {
        snippets: false,
        ..CheckOptions::default()
    };
    let whole = summary(&check::run(
        &targets,
        &compile(true, EngineKind::Interpreter),
        &options,
    ));
    assert!(
        whole.len() > 500,
        "the inputs should produce many findings, got {}",
        whole.len()
    );
    for engine in [EngineKind::Interpreter, EngineKind::Vm] {
        let split = summary(&check::run(&targets, &compile(false, engine), &options));
        let only_split: Vec<&String> = split.iter().filter(|l| !whole.contains(l)).collect();
        let only_whole: Vec<&String> = whole.iter().filter(|l| !split.contains(l)).collect();
        assert!(
            only_split.is_empty() && only_whole.is_empty(),
            "split engines ({engine:?}) differ from the whole engine\nonly split: {only_split:#?}\nonly whole: {only_whole:#?}"
        );
        assert_eq!(split.len(), whole.len(), "{engine:?}");
    }
}
