//! The `policy check` pipeline: find the input files, read each into
//! documents, evaluate the documents in parallel on clones of the compiled
//! policy set, and gather findings and errors into one sorted report. One bad
//! file never stops the others.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::engine::PolicySet;
use crate::finding::{location, CheckError, Finding, InputNotice, SourceRef};
use crate::input::terraform::SourceIndex;
use crate::input::{self, Format, Limits, Resource};
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
    /// The `.tf` sources of the Terraform plans checked (`--tf-source`); without
    /// it, `.tf` files in a plan's own directory are used when there are any.
    pub tf_source: Option<PathBuf>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            max_file_size: 256 * 1024 * 1024,
            snippets: true,
            tf_source: None,
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
    /// Every file read (or attempted) with the documents it held, sorted by
    /// file: what reports that also list passing checks (JUnit) need.
    pub documents_by_file: Vec<FileSummary>,
}

/// A file of the run and the documents evaluated in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// The file, named as in findings.
    pub file: String,
    /// Its documents, in file order (`kind: List` items expanded).
    pub documents: Vec<DocumentSummary>,
}

/// One evaluated document: enough to tell which rules applied to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    /// 1-based index in the file, as in findings.
    pub index: usize,
    /// The document's format.
    pub format: Format,
    /// Its resource identity (its `kind` selects rules by `custom.targets`).
    pub resource: Resource,
    /// False when an evaluation error or timeout cut its evaluation short.
    pub complete: bool,
}

const EXTENSIONS: [&str; 4] = ["yaml", "yml", "json", "tf"];

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
    run_with_progress(targets, policy, options, &|| {})
}

/// [`run`], calling `file_done` after each target (from worker threads), for progress bars.
pub fn run_with_progress(
    targets: &[Target],
    policy: &PolicySet,
    options: &CheckOptions,
    file_done: &(dyn Fn() + Sync),
) -> Report {
    let per_file: Vec<Report> = targets
        .par_iter()
        .map(|target| {
            let part = check_target(target, policy, options);
            file_done();
            part
        })
        .collect();
    let mut report = Report::default();
    for part in per_file {
        report.files += part.files;
        report.documents += part.documents;
        report.findings.extend(part.findings);
        report.errors.extend(part.errors);
        report.notices.extend(part.notices);
        report.documents_by_file.extend(part.documents_by_file);
    }
    report.documents_by_file.sort_by(|a, b| a.file.cmp(&b.file));
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
    let name = match target {
        Target::File(path) => path.display().to_string(),
        Target::Text { name, .. } => name.clone(),
    };
    report.documents_by_file.push(FileSummary {
        file: name,
        documents: Vec::new(),
    });
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
    let mut tf_sources: Option<Option<SourceIndex>> = None;
    for doc in &loaded.documents {
        report.documents += 1;
        let kind = doc.value.get("kind").and_then(|k| k.as_str());
        let evaluation = policy.evaluate(&doc.value, doc.format.as_str(), kind);
        if let Some(summary) = report.documents_by_file.first_mut() {
            summary.documents.push(DocumentSummary {
                index: doc.index,
                format: doc.format,
                resource: doc.resource(),
                complete: evaluation.errors.is_empty(),
            });
        }
        let tf_index = (doc.format == Format::TerraformPlan)
            .then(|| tf_sources.get_or_insert_with(|| plan_sources(target, options)))
            .and_then(|index| index.as_ref());
        report.findings.extend(evaluation.hits.iter().map(|hit| {
            let mut finding = Finding::new(hit, doc, options.snippets);
            if let Some(index) = tf_index {
                finding.source = index
                    .locate(&doc.value, hit.output.path.as_deref().unwrap_or(&[]))
                    .map(|at| SourceRef::new(&at.source, at.span));
            }
            finding
        }));
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

/// The parsed `.tf` sources of a plan: `--tf-source DIR`, or the plan's own
/// directory when it holds `.tf` files. Every `.tf` file below the directory
/// is read (hidden directories skipped); files that do not parse are left out
/// (they are reported when they are checked themselves).
fn plan_sources(target: &Target, options: &CheckOptions) -> Option<SourceIndex> {
    let root = match (&options.tf_source, target) {
        (Some(dir), _) => dir.clone(),
        (None, Target::File(plan)) => {
            let dir = plan.parent().unwrap_or(Path::new("."));
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let beside = std::fs::read_dir(dir)
                .ok()?
                .filter_map(Result::ok)
                .any(|e| e.path().is_file() && e.path().extension().is_some_and(|x| x == "tf"));
            if !beside {
                return None;
            }
            dir.to_path_buf()
        }
        (None, Target::Text { .. }) => return None,
    };
    let walker = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    let mut files = Vec::new();
    for entry in walker.filter_map(Result::ok) {
        let path = entry.path();
        if !(entry.file_type().is_file() && path.extension().is_some_and(|x| x == "tf")) {
            continue;
        }
        let Ok(source) = read_target(&Target::File(path.to_path_buf()), options) else {
            continue;
        };
        let Ok(loaded) = input::load(&source, options.limits) else {
            continue;
        };
        let dir = path
            .parent()
            .and_then(|p| p.strip_prefix(&root).ok())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        files.extend(loaded.documents.into_iter().map(|doc| (dir.clone(), doc)));
    }
    Some(SourceIndex::new(files))
}
