//! The real-world corpus (`../shared/corpus/kubernetes`, beside the clone; see
//! its README): every file outside `invalid/` loads without an error under the
//! built-in library, and every file under `invalid/` is rejected cleanly (an
//! error entry, no crash, no hang).

use std::path::{Path, PathBuf};

use crate::support::{check_json, errors};

fn corpus_dir() -> PathBuf {
    let dir = Path::new(crate::support::ROOT).join("../shared/corpus/kubernetes");
    assert!(
        dir.is_dir(),
        "the Kubernetes corpus is missing: expected it at {} (CI provides ../shared/corpus beside \
         the clone); this test must not pass without it",
        dir.display()
    );
    dir
}

/// The files `policy check DIR` is documented to read: `.yaml`, `.yml` and `.json`,
/// hidden directories skipped.
fn input_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus directory is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') {
                input_files(&path, out);
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["yaml", "yml", "json"].contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
}

fn is_invalid(file: &str) -> bool {
    file.split(['/', '\\']).any(|part| part == "invalid")
}

#[test]
fn the_kubernetes_corpus_loads_and_its_invalid_files_are_rejected_cleanly() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    input_files(&dir, &mut files);
    assert!(
        files.len() > 500,
        "the corpus looks incomplete: {} files",
        files.len()
    );
    let invalid: Vec<_> = files
        .iter()
        .filter(|f| is_invalid(&f.to_string_lossy()))
        .collect();
    assert!(!invalid.is_empty(), "the corpus has invalid/ folders");

    // The same relative path users would type, so that error files read naturally.
    let (out, report) = check_json(["../shared/corpus/kubernetes"]);
    // Invalid files are errors, so the run as a whole must exit 2 (not crash).
    out.assert_code(2);
    assert_eq!(
        report["summary"]["files"],
        files.len(),
        "every corpus file must be read"
    );

    let (in_invalid, elsewhere): (Vec<_>, Vec<_>) = errors(&report)
        .iter()
        .partition(|e| is_invalid(e["file"].as_str().unwrap_or_default()));
    let described: Vec<String> = elsewhere
        .iter()
        .map(|e| {
            format!(
                "{}:{} {}: {}",
                e["file"].as_str().unwrap_or_default(),
                e["line"],
                e["code"].as_str().unwrap_or_default(),
                e["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert!(
        described.is_empty(),
        "{} valid corpus file(s) gave errors:\n{}",
        described.len(),
        described.join("\n")
    );

    for file in &invalid {
        let rel = Path::new("../shared/corpus/kubernetes")
            .join(file.strip_prefix(&dir).expect("below the corpus"));
        let rel = rel.to_string_lossy();
        let errs: Vec<_> = in_invalid.iter().filter(|e| e["file"] == *rel).collect();
        assert!(
            !errs.is_empty(),
            "{rel}: an invalid file must produce an error\n{:#}",
            report["errors"]
        );
        for e in errs {
            assert!(
                e["line"].is_u64(),
                "{rel}: a parse error should have a line: {e}"
            );
        }
    }
    // Findings come only from files that loaded.
    let findings_in_invalid = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| is_invalid(f["file"].as_str().unwrap_or_default()))
        .count();
    assert_eq!(findings_in_invalid, 0);
}
