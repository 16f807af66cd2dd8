//! `policy lint`: every problem a policy set has, collected rather than
//! stopping at the first: syntax errors in any file, calls to undefined
//! functions, recursion, unused imports and missing or invalid `# METADATA`
//! on the rules that produce findings. Each diagnostic has a stable code.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::{
    add_policy, calls, collect_rules, compile_error, metadata, CompileError, CompileOptions,
    DataSource, PolicySet, PolicySource,
};
use crate::source::SourceFile;

/// How serious a lint diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// The set does not compile, or its metadata is wrong: exit 2.
    Error,
    /// Worth fixing; fails the run only with `--strict`.
    Warning,
}

/// One problem found by [`lint`], located in a policy file.
#[derive(Debug, Clone)]
pub struct LintDiagnostic {
    /// Error or warning.
    pub level: LintLevel,
    /// Code, place and message (codes listed in [`CODES`]).
    pub error: CompileError,
}

/// Every code [`lint`] can report.
pub const CODES: [&str; 11] = [
    "rego-parse-error",
    "rego-compile-error",
    "rego-undefined-function",
    "rego-recursion",
    "unused-import",
    "metadata-invalid",
    "metadata-missing-id",
    "metadata-missing-severity",
    "metadata-unknown-severity",
    "metadata-duplicate-id",
    "data-error",
];

/// Checks a policy set (test files included) and returns every diagnostic,
/// sorted by file, line, column and code.
pub fn lint(policies: &[PolicySource], data: &[DataSource]) -> Vec<LintDiagnostic> {
    let mut out = Vec::new();
    let mut error = |code, file: String, line, column, message, text| {
        out.push(LintDiagnostic {
            level: LintLevel::Error,
            error: CompileError {
                code,
                file,
                line,
                column,
                message,
                text,
            },
        });
    };
    let mut engine = regorus::Engine::new();
    let mut sources: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    let mut metas = BTreeMap::new();
    // Files whose severity is wrong are not also told that it is missing.
    let mut bad_severity = std::collections::HashSet::new();
    for policy in policies {
        let source = SourceFile::new(policy.path.clone(), policy.text.clone());
        // A file that does not parse is left out; the others are still checked.
        if let Err(e) = add_policy(&mut engine, policy) {
            let e = compile_error("rego-parse-error", &e, &policy.path, &source);
            error(e.code, e.file, e.line, e.column, e.message, e.text);
        }
        let meta = metadata::parse(&policy.text);
        for (line, message) in &meta.errors {
            error(
                "metadata-invalid",
                policy.path.clone(),
                *line,
                1,
                format!("METADATA block is not valid YAML: {message}"),
                Some(source.clone()),
            );
        }
        for (line, severity) in unknown_severities(&policy.text) {
            bad_severity.insert(policy.path.clone());
            error(
                "metadata-unknown-severity",
                policy.path.clone(),
                line,
                1,
                format!(
                    "unknown severity \"{severity}\" (expected critical, high, medium, low or info)"
                ),
                Some(source.clone()),
            );
        }
        metas.insert(policy.path.clone(), meta);
        sources.insert(policy.path.clone(), source);
    }
    let text_of = |file: &str| sources.get(file).cloned();
    let analysis = calls::analyze(engine.get_modules());
    for cycle in analysis.cycles {
        let message = format!(
            "recursion is not allowed in Rego: {}",
            cycle.chain.join(" -> ")
        );
        let text = text_of(&cycle.file);
        error(
            "rego-recursion",
            cycle.file,
            cycle.line,
            cycle.column,
            message,
            text,
        );
    }
    for call in analysis.undefined {
        let text = text_of(&call.file);
        error(
            "rego-undefined-function",
            call.file,
            call.line,
            call.column,
            format!("call to undefined function `{}`", call.name),
            text,
        );
    }
    let rules = collect_rules(&mut engine, &metas).rules;
    let mut first_ids: BTreeMap<String, &super::Rule> = BTreeMap::new();
    for rule in &rules {
        if rule.meta.id.is_none() {
            warning(
                &mut out,
                "metadata-missing-id",
                rule,
                text_of(&rule.file),
                format!(
                    "rule `{}` of package `{}` has no custom.id in its METADATA; findings get the id `{}`",
                    rule.name,
                    rule.package,
                    rule.id()
                ),
            );
        }
        if rule.meta.severity.is_none() && !bad_severity.contains(&rule.file) {
            warning(
                &mut out,
                "metadata-missing-severity",
                rule,
                text_of(&rule.file),
                format!(
                    "rule `{}` of package `{}` has no custom.severity in its METADATA",
                    rule.name, rule.package
                ),
            );
        }
        let Some(id) = &rule.meta.id else { continue };
        match first_ids.get(id) {
            // Rules of one package share its package-scope metadata: one policy, one id.
            Some(first) if first.package != rule.package => {
                let (line, column) =
                    id_position(&rule.text_of_id(&sources), id).unwrap_or((rule.line, 1));
                out.push(LintDiagnostic {
                    level: LintLevel::Error,
                    error: CompileError {
                        code: "metadata-duplicate-id",
                        file: rule.file.clone(),
                        line,
                        column,
                        message: format!(
                            "rule id `{id}` of `{}.{}` is also the id of `{}.{}` ({}:{})",
                            rule.package,
                            rule.name,
                            first.package,
                            first.name,
                            first.file,
                            id_position(&first.text_of_id(&sources), id)
                                .map_or(first.line, |(l, _)| l)
                        ),
                        text: text_of(&rule.file),
                    },
                });
            }
            Some(_) => {}
            None => {
                first_ids.insert(id.clone(), rule);
            }
        }
    }
    for import in analysis.unused_imports {
        let text = text_of(&import.file);
        out.push(LintDiagnostic {
            level: LintLevel::Warning,
            error: CompileError {
                code: "unused-import",
                message: format!(
                    "import `{}` is never used (nothing refers to `{}`)",
                    import.path, import.alias
                ),
                file: import.file,
                line: import.line,
                column: import.column,
                text,
            },
        });
    }
    // What the static checks cannot see (data that does not merge, regorus's own
    // analysis): compile the set for real once nothing else is wrong.
    if !out.iter().any(|d| d.level == LintLevel::Error) {
        let options = CompileOptions {
            include_tests: true,
            ..CompileOptions::default()
        };
        if let Err(errors) = PolicySet::compile(policies, data, &options) {
            out.extend(errors.into_iter().map(|error| LintDiagnostic {
                level: LintLevel::Error,
                error,
            }));
        }
    }
    out.sort_by(|a, b| {
        (&a.error.file, a.error.line, a.error.column, a.error.code).cmp(&(
            &b.error.file,
            b.error.line,
            b.error.column,
            b.error.code,
        ))
    });
    out
}

fn warning(
    out: &mut Vec<LintDiagnostic>,
    code: &'static str,
    rule: &super::Rule,
    text: Option<Arc<SourceFile>>,
    message: String,
) {
    out.push(LintDiagnostic {
        level: LintLevel::Warning,
        error: CompileError {
            code,
            file: rule.file.clone(),
            line: rule.line,
            column: 1,
            message,
            text,
        },
    });
}

impl super::Rule {
    /// The text of the file that defines the rule.
    fn text_of_id(&self, sources: &BTreeMap<String, Arc<SourceFile>>) -> String {
        sources
            .get(&self.file)
            .map(|s| s.text().to_owned())
            .unwrap_or_default()
    }
}

/// The 1-based line and column of the `id: <id>` line of a METADATA comment.
fn id_position(text: &str, id: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let body = line.trim_start().strip_prefix('#')?.trim();
        let value = body.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
        (value == id).then(|| (i + 1, line.len() - line.trim_start().len() + 1))
    })
}

/// `custom.severity` values that are not a known severity: (1-based line, value).
fn unknown_severities(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "# METADATA" {
            i += 1;
            continue;
        }
        let mut yaml = String::new();
        let start = i + 1;
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with('#') {
            let body = lines[i].trim_start().trim_start_matches('#');
            yaml.push_str(body.strip_prefix(' ').unwrap_or(body));
            yaml.push('\n');
            i += 1;
        }
        // Invalid YAML is reported as `metadata-invalid`.
        let Ok(value) = crate::input::parse_yaml_value(&yaml) else {
            continue;
        };
        let Some(severity) = value.get("custom").and_then(|c| c.get("severity")) else {
            continue;
        };
        let shown = match severity {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if severity
            .as_str()
            .is_some_and(|s| s.trim().parse::<metadata::Severity>().is_ok())
        {
            continue;
        }
        let line = (start..i)
            .find(|n| lines[*n].contains("severity:"))
            .map_or(start, |n| n + 1);
        out.push((line, shown));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_files(files: &[(&str, &str)]) -> Vec<(String, &'static str, usize)> {
        let policies: Vec<_> = files
            .iter()
            .map(|(path, text)| PolicySource {
                path: (*path).to_owned(),
                text: (*text).to_owned(),
            })
            .collect();
        lint(&policies, &[])
            .into_iter()
            .map(|d| (d.error.file, d.error.code, d.error.line))
            .collect()
    }

    const META: &str = "# METADATA\n# title: T\n# custom:\n#   id: A-1\n#   severity: high\n";

    #[test]
    fn every_file_is_checked_and_all_problems_are_reported() {
        let found = lint_files(&[
            ("a.rego", "package a\n\ndeny contains \"x\" if {\n"),
            ("b.rego", "package b\n\nx := nope(1)\n"),
            ("c.rego", "package c\n\nf(x) := f(x)\n"),
        ]);
        assert_eq!(
            found,
            [
                ("a.rego".to_owned(), "rego-parse-error", 4),
                ("b.rego".to_owned(), "rego-undefined-function", 3),
                ("c.rego".to_owned(), "rego-recursion", 3),
            ]
        );
    }

    #[test]
    fn metadata_problems() {
        let dup = format!("{META}package b\n\ndeny contains \"x\" if input.b\n");
        let found = lint_files(&[
            (
                "a.rego",
                &format!("{META}package a\n\ndeny contains \"x\" if input.a\n"),
            ),
            ("b.rego", &dup),
            (
                "c.rego",
                "# METADATA\n# custom:\n#   severity: urgent\npackage c\n\nwarn contains \"x\" if input.c\n",
            ),
        ]);
        assert_eq!(
            found,
            [
                ("b.rego".to_owned(), "metadata-duplicate-id", 4),
                ("c.rego".to_owned(), "metadata-unknown-severity", 3),
                ("c.rego".to_owned(), "metadata-missing-id", 6),
            ]
        );
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes = CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len());
        assert!(CODES
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-')));
    }
}
