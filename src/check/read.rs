//! Phase one of a run: find the input files and read each into documents.
//! Everything is read before anything is evaluated, because some evaluations
//! need the whole run (`--combine`, Gatekeeper's `data.inventory`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{CheckOptions, Target};
use crate::finding::{location, CheckError, InputNotice};
use crate::input::terraform::SourceIndex;
use crate::input::{self, Document};
use crate::source::{self, SourceFile};

/// A target read into its documents, with what went wrong reading it.
#[derive(Debug)]
pub struct LoadedTarget<'t> {
    /// What was read.
    pub target: &'t Target,
    /// Its name in reports.
    pub name: String,
    /// Its documents in file order (`kind: List` items expanded); empty when
    /// it could not be read.
    pub documents: Vec<Document>,
    /// Why it could not be read (at most one).
    pub errors: Vec<CheckError>,
    /// Warnings about its contents.
    pub notices: Vec<InputNotice>,
}

/// Reads and parses one target; never fails, errors are kept in the result.
pub fn load_target<'t>(target: &'t Target, options: &CheckOptions) -> LoadedTarget<'t> {
    let name = match target {
        Target::File(path) => path.display().to_string(),
        Target::Text { name, .. } => name.clone(),
    };
    let mut out = LoadedTarget {
        target,
        name,
        documents: Vec::new(),
        errors: Vec::new(),
        notices: Vec::new(),
    };
    let source = match read_target(target, options) {
        Ok(s) => s,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    let loaded = match input::load(&source, options.limits) {
        Ok(l) => l,
        Err(e) => {
            out.errors.push(match e.span {
                Some(span) => CheckError::at(&source, span, e.code, e.message),
                None => CheckError::file(source.name(), e.code, e.message),
            });
            return out;
        }
    };
    out.notices = loaded
        .notices
        .into_iter()
        .map(|notice| {
            let at = location(&source, notice.span);
            InputNotice {
                file: source.name().to_owned(),
                line: at.line,
                column: at.column,
                code: notice.code,
                message: notice.message,
            }
        })
        .collect();
    out.documents = loaded.documents;
    out
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

/// The parsed `.tf` sources of a plan: `--tf-source DIR`, or the plan's own
/// directory when it holds `.tf` files. Every `.tf` file below the directory
/// is read (hidden directories skipped); files that do not parse are left out
/// (they are reported when they are checked themselves).
pub(super) fn plan_sources(target: &Target, options: &CheckOptions) -> Option<SourceIndex> {
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
