//! Reading policy directories from disk: `.rego` files become policies, and
//! `.json`/`.yaml` files become data merged into `data`.

use std::path::Path;

use crate::builtin;
use crate::check::{read_target, CheckOptions, Target};
use crate::engine::{DataSource, PolicySource};
use crate::finding::CheckError;
use crate::input;

/// What the policy directories held.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Rego files.
    pub policies: Vec<PolicySource>,
    /// Data documents.
    pub data: Vec<DataSource>,
    /// Files that could not be read.
    pub errors: Vec<CheckError>,
}

/// Loads the given policy paths (directories or single files) and data paths;
/// with no policy paths, the built-in library. The helper library is added
/// unless the policies define its packages themselves.
pub fn load(policy_paths: &[std::path::PathBuf], data_paths: &[std::path::PathBuf]) -> Loaded {
    let mut loaded = Loaded::default();
    if policy_paths.is_empty() {
        loaded.policies = builtin::all();
    } else {
        for path in policy_paths {
            load_path(path, true, &mut loaded);
        }
        let helpers = builtin::helpers_missing_from(&loaded.policies);
        loaded.policies.splice(0..0, helpers);
    }
    for path in data_paths {
        load_path(path, false, &mut loaded);
    }
    loaded
}

fn load_path(path: &Path, rego: bool, loaded: &mut Loaded) {
    if !path.exists() {
        loaded.errors.push(CheckError::file(
            &path.display().to_string(),
            "policy-not-found",
            "no such file or directory",
        ));
        return;
    }
    let walker = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                loaded.errors.push(CheckError::file(
                    &path.display().to_string(),
                    "policy-unreadable",
                    e.to_string(),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let file = entry.path();
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "rego" if rego => match std::fs::read_to_string(file) {
                Ok(text) => loaded.policies.push(PolicySource {
                    path: file.display().to_string(),
                    text,
                }),
                Err(e) => loaded.errors.push(CheckError::file(
                    &file.display().to_string(),
                    "policy-unreadable",
                    e.to_string(),
                )),
            },
            "json" | "yaml" | "yml" => load_data(file, loaded),
            _ => {}
        }
    }
}

fn load_data(file: &Path, loaded: &mut Loaded) {
    let source = match read_target(&Target::File(file.to_owned()), &CheckOptions::default()) {
        Ok(s) => s,
        Err(e) => {
            loaded.errors.push(e);
            return;
        }
    };
    let docs = match input::load(&source, input::Limits::default()) {
        Ok(d) => d,
        Err(e) => {
            loaded.errors.push(match e.span {
                Some(span) => CheckError::at(&source, span, e.code, e.message),
                None => CheckError::file(source.name(), e.code, e.message),
            });
            return;
        }
    };
    for doc in docs.documents {
        if doc.value.is_object() {
            loaded.data.push(DataSource {
                path: source.name().to_owned(),
                value: doc.value,
            });
        } else {
            loaded.errors.push(CheckError::file(
                source.name(),
                "data-not-object",
                "a data document must be a mapping/object at the top level",
            ));
        }
    }
}
