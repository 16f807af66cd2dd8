//! Each rule group is evaluated on an engine holding only the modules it needs
//! (src/engine/split.rs). Which modules a group needs is read from the policy
//! text, so this checks the guess against the whole engine: the built-in
//! library over every fixture and every file of the shared corpus, both ways,
//! must give exactly the same findings and errors.

use std::path::{Path, PathBuf};

use railyard::check::{self, CheckOptions, Report, Target};
use railyard::engine::{CompileOptions, PolicySet};

fn compile(single_engine: bool) -> PolicySet {
    PolicySet::compile(
        &railyard::builtin::all(),
        &[],
        &CompileOptions {
            single_engine,
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
    let split = check::run(&targets, &compile(false), &options);
    let whole = check::run(&targets, &compile(true), &options);
    assert!(
        split.findings.len() > 500,
        "the inputs should produce many findings, got {}",
        split.findings.len()
    );
    let (split, whole) = (summary(&split), summary(&whole));
    let only_split: Vec<&String> = split.iter().filter(|l| !whole.contains(l)).collect();
    let only_whole: Vec<&String> = whole.iter().filter(|l| !split.contains(l)).collect();
    assert!(
        only_split.is_empty() && only_whole.is_empty(),
        "split engines differ from the whole engine\nonly split: {only_split:#?}\nonly whole: {only_whole:#?}"
    );
    assert_eq!(split.len(), whole.len());
}
