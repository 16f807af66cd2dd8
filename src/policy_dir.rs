//! Reading policy directories from disk: `.rego` files become policies, and
//! `.json`/`.yaml` files become data merged into `data`, except Gatekeeper
//! ConstraintTemplates and Constraints (evaluated as policies, see
//! [`crate::gatekeeper`]) and `gator` test suites. Shared by the CLI and
//! by the webhook, which reloads the same directories when their contents
//! change ([`fingerprint`]).
//!
//! Symbolic links are followed, and names starting with `.` are skipped below
//! the given paths: a Kubernetes ConfigMap volume holds `name.rego -> ..data/name.rego`
//! and `..data -> ..2024_01_01_00_00_00.0123`, so following links and skipping
//! dot-names reads each file once, through the link the kubelet swaps atomically.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::builtin;
use crate::check::{read_target, CheckOptions, Target};
use crate::engine::{DataSource, PolicySource};
use crate::finding::CheckError;
use crate::gatekeeper;
use crate::input;

/// What the policy directories held.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Rego files.
    pub policies: Vec<PolicySource>,
    /// Data documents.
    pub data: Vec<DataSource>,
    /// Gatekeeper ConstraintTemplates and Constraints of the policy paths.
    pub gatekeeper: gatekeeper::Sources,
    /// Files that could not be read.
    pub errors: Vec<CheckError>,
}

/// Loads the given policy paths (directories or single files) and data paths;
/// with no policy paths, the built-in library. The helper library is added
/// unless the policies define its packages themselves.
pub fn load(policy_paths: &[PathBuf], data_paths: &[PathBuf]) -> Loaded {
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

/// A hash of the names and contents of every file [`load`] would read from
/// these paths (0 files and unreadable paths hash too). Two calls return the
/// same value exactly when a reload would read the same bytes.
pub fn fingerprint(policy_paths: &[PathBuf], data_paths: &[PathBuf]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (paths, rego) in [(policy_paths, true), (data_paths, false)] {
        for path in paths {
            path.hash(&mut hasher);
            for entry in walk(path) {
                match entry {
                    Ok(e) if e.file_type().is_file() && wanted(e.path(), rego) => {
                        e.path().hash(&mut hasher);
                        match std::fs::read(e.path()) {
                            Ok(bytes) => bytes.hash(&mut hasher),
                            Err(err) => err.kind().to_string().hash(&mut hasher),
                        }
                    }
                    Ok(_) => {}
                    Err(err) => err.to_string().hash(&mut hasher),
                }
            }
        }
    }
    hasher.finish()
}

fn walk(path: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

fn wanted(file: &Path, rego: bool) -> bool {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "rego" => rego,
        "json" | "yaml" | "yml" => true,
        _ => false,
    }
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
    for entry in walk(path) {
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
        if !entry.file_type().is_file() || !wanted(entry.path(), rego) {
            continue;
        }
        let file = entry.path();
        if file.extension().is_some_and(|e| e == "rego") {
            match std::fs::read_to_string(file) {
                Ok(text) => loaded.policies.push(PolicySource {
                    path: file.display().to_string(),
                    text,
                }),
                Err(e) => loaded.errors.push(CheckError::file(
                    &file.display().to_string(),
                    "policy-unreadable",
                    e.to_string(),
                )),
            }
        } else {
            load_data(file, rego, loaded);
        }
    }
}

/// Reads a YAML/JSON file: data, or, in a policy path, Gatekeeper documents too.
fn load_data(file: &Path, policy_path: bool, loaded: &mut Loaded) {
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
        if policy_path {
            match loaded.gatekeeper.add(&doc) {
                Ok(true) => continue,
                Ok(false) if gatekeeper::suite::is_suite(&doc.value) => continue,
                Ok(false) => {}
                Err(errors) => {
                    loaded.errors.extend(errors);
                    continue;
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configmap_volume_is_read_once_through_its_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("..2024_01_01_00_00_00.1");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("p.rego"), "package p\n").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("..2024_01_01_00_00_00.1", dir.path().join("..data"))
                .unwrap();
            std::os::unix::fs::symlink("..data/p.rego", dir.path().join("p.rego")).unwrap();
            let loaded = load(&[dir.path().to_owned()], &[]);
            let own: Vec<_> = loaded
                .policies
                .iter()
                .filter(|p| !p.path.starts_with(builtin::PREFIX))
                .collect();
            assert_eq!(own.len(), 1, "{own:?}");
            let before = fingerprint(&[dir.path().to_owned()], &[]);
            std::fs::write(real.join("p.rego"), "package p\n\nx := 1\n").unwrap();
            assert_ne!(before, fingerprint(&[dir.path().to_owned()], &[]));
        }
    }
}
