//! The built-in policy library and the helper library for authors, embedded
//! in the binary at build time from `policies/`.

use crate::engine::{is_test_file, PolicySource};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));
}

/// Prefix of the names built-in files are reported under.
pub const PREFIX: &str = "builtin:";

/// Helper library packages (`policies/lib/`): loaded with every policy set so
/// that users' policies can import them.
pub fn helpers() -> Vec<PolicySource> {
    files(|path| path.starts_with("lib/") && path.ends_with(".rego") && !is_test_file(path))
}

/// The built-in rules and their tests, and the helpers' tests.
pub fn library() -> Vec<PolicySource> {
    files(|path| path.ends_with(".rego") && (!path.starts_with("lib/") || is_test_file(path)))
}

/// Helpers and rules together: what `policy check` runs with no `--policy`.
pub fn all() -> Vec<PolicySource> {
    let mut all = helpers();
    all.extend(library());
    all
}

fn files(keep: impl Fn(&str) -> bool) -> Vec<PolicySource> {
    embedded::FILES
        .iter()
        .filter(|(path, _)| keep(path))
        .map(|(path, text)| PolicySource {
            path: format!("{PREFIX}{path}"),
            text: (*text).to_owned(),
        })
        .collect()
}

/// The package a Rego file declares, read from its `package` line.
pub fn declared_package(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim_start)
        .find_map(|line| line.strip_prefix("package "))
        .map(str::trim)
}

/// The helpers that `policies` does not already define itself (a repository
/// that vendors `lib/` must not get two copies of a package).
pub fn helpers_missing_from(policies: &[PolicySource]) -> Vec<PolicySource> {
    let defined: std::collections::HashSet<&str> = policies
        .iter()
        .filter_map(|p| declared_package(&p.text))
        .collect();
    helpers()
        .into_iter()
        .filter(|h| declared_package(&h.text).is_none_or(|pkg| !defined.contains(pkg)))
        .collect()
}
