//! The `policy check` pipeline: find the input files, read each into
//! documents, evaluate the documents in parallel on clones of the compiled
//! policy set, and gather findings and errors into one sorted report. One bad
//! file never stops the others.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::engine::PolicySet;
use crate::finding::{location, CheckError, Finding, InputNotice};
use crate::input::{self, Limits};
use crate::source::{self, SourceFile};

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file on disk.
    File(PathBuf),
    /// Text already read (stdin), with the name to report it under.
    Text {
        /// Display name.
        name: String,
        /// Raw bytes.
        bytes: Vec<u8>,
    },
}

/// Settings for a check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Parser limits.
    pub limits: Limits,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Keep source lines with each finding for code frames (costs memory per finding).
    pub snippets: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            max_file_size: 256 * 1024 * 1024,
            snippets: true,
        }
    }
}

/// Everything a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Files read (or attempted).
    pub files: usize,
    /// Documents evaluated.
    pub documents: usize,
    /// Findings, sorted by file, line, column and rule.
    pub findings: Vec<Finding>,
    /// Inputs that could not be checked completely, sorted.
    pub errors: Vec<CheckError>,
    /// Warnings about inputs.
    pub notices: Vec<InputNotice>,
}

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Expands paths into the files to check: files as given, directories walked
/// for YAML and JSON files (hidden directories skipped), in a stable order.
/// Paths that do not exist become errors.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<CheckError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        if !path.is_dir() {
            errors.push(CheckError::file(
                &path.display().to_string(),
                "input-not-found",
                "no such file or directory",
            ));
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && has_input_extension(e.path()) => {
                    files.push(e.into_path());
                }
                Ok(_) => {}
                Err(e) => errors.push(CheckError::file(
                    &e.path().unwrap_or(path).display().to_string(),
                    "input-unreadable",
                    e.to_string(),
                )),
            }
        }
    }
    (files, errors)
}

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads stdin fully, as a target named `<stdin>`.
pub fn stdin_target() -> std::io::Result<Target> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    Ok(Target::Text {
        name: "<stdin>".into(),
        bytes,
    })
}

/// Checks every target against the policy set, in parallel.
pub fn run(targets: &[Target], policy: &PolicySet, options: &CheckOptions) -> Report {
    let per_file: Vec<Report> = targets
        .par_iter()
        .map(|target| check_target(target, policy, options))
        .collect();
    let mut report = Report::default();
    for part in per_file {
        report.files += part.files;
        report.documents += part.documents;
        report.findings.extend(part.findings);
        report.errors.extend(part.errors);
        report.notices.extend(part.notices);
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .errors
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// Reads a target into a source file.
pub fn read_target(target: &Target, options: &CheckOptions) -> Result<Arc<SourceFile>, CheckError> {
    let (name, bytes) = match target {
        Target::Text { name, bytes } => (name.clone(), bytes.clone()),
        Target::File(path) => {
            let name = path.display().to_string();
            let too_big = std::fs::metadata(path)
                .map(|m| m.len() > options.max_file_size)
                .unwrap_or(false);
            if too_big {
                return Err(CheckError::file(
                    &name,
                    "input-too-large",
                    format!(
                        "file is larger than the limit of {} bytes (--max-file-size)",
                        options.max_file_size
                    ),
                ));
            }
            match std::fs::read(path) {
                Ok(bytes) => (name, bytes),
                Err(e) => return Err(CheckError::file(&name, "input-unreadable", e.to_string())),
            }
        }
    };
    if bytes.len() as u64 > options.max_file_size {
        return Err(CheckError::file(
            &name,
            "input-too-large",
            format!(
                "input is larger than the limit of {} bytes",
                options.max_file_size
            ),
        ));
    }
    let text = source::decode(bytes).map_err(|e| {
        let mut err = CheckError::file(&name, "not-utf8", e.to_string());
        err.line = Some(e.line);
        err
    })?;
    Ok(SourceFile::new(name, text))
}

fn check_target(target: &Target, policy: &PolicySet, options: &CheckOptions) -> Report {
    let mut report = Report {
        files: 1,
        ..Report::default()
    };
    let source = match read_target(target, options) {
        Ok(s) => s,
        Err(e) => {
            report.errors.push(e);
            return report;
        }
    };
    let loaded = match input::load(&source, options.limits) {
        Ok(l) => l,
        Err(e) => {
            report.errors.push(match e.span {
                Some(span) => CheckError::at(&source, span, e.code, e.message),
                None => CheckError::file(source.name(), e.code, e.message),
            });
            return report;
        }
    };
    for notice in loaded.notices {
        let at = location(&source, notice.span);
        report.notices.push(InputNotice {
            file: source.name().to_owned(),
            line: at.line,
            column: at.column,
            code: notice.code,
            message: notice.message,
        });
    }
    for doc in &loaded.documents {
        report.documents += 1;
        let kind = doc.value.get("kind").and_then(|k| k.as_str());
        let evaluation = policy.evaluate(&doc.value, doc.format.as_str(), kind);
        report.findings.extend(
            evaluation
                .hits
                .iter()
                .map(|hit| Finding::new(hit, doc, options.snippets)),
        );
        for e in evaluation.errors {
            let code = if e.timed_out {
                "evaluation-timeout"
            } else {
                "evaluation-error"
            };
            let mut err = CheckError::at(&source, doc.span, code, e.to_string());
            err.snippet = None;
            report.errors.push(err);
        }
    }
    report
}
