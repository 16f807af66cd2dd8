//! `gator verify` suites: `kind: Suite` (`test.gatekeeper.sh`) files whose
//! tests pair a template with a constraint and run cases, each an object (or
//! an AdmissionReview) with optional inventory and assertions on the
//! violations. Paths in a suite are relative to the suite's file. This is the
//! one part of the module that reads files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Inventory, Review, Sources};
use crate::check::{read_target, CheckOptions, Target};
use crate::finding::CheckError;
use crate::input::{self, Document};

/// The API group of suites.
pub const SUITE_GROUP: &str = "test.gatekeeper.sh";

/// What running one case gave.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// `name`.
    pub name: String,
    /// `skip: true`.
    pub skipped: bool,
    /// Why it failed.
    pub error: Option<String>,
    /// How long it took.
    pub runtime: Duration,
}

/// What running one test gave.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// `name`.
    pub name: String,
    /// `skip: true`.
    pub skipped: bool,
    /// Why the test itself failed (its template or constraint).
    pub error: Option<String>,
    /// Its cases.
    pub cases: Vec<CaseResult>,
    /// How long it took.
    pub runtime: Duration,
}

impl TestResult {
    /// Whether it or one of its cases failed.
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.cases.iter().any(|c| c.error.is_some())
    }
}

/// What running one suite file gave.
#[derive(Debug, Clone)]
pub struct SuiteResult {
    /// The suite file, as given or found.
    pub path: String,
    /// `skip: true`.
    pub skipped: bool,
    /// Why the suite could not run at all.
    pub error: Option<String>,
    /// Its tests.
    pub tests: Vec<TestResult>,
    /// How long it took.
    pub runtime: Duration,
}

impl SuiteResult {
    /// Whether it, a test or a case failed.
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.tests.iter().any(TestResult::failed)
    }
}

/// Whether a document is a `gator` Suite.
pub fn is_suite(value: &Value) -> bool {
    let group = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.split_once('/'))
        .map(|(g, _)| g);
    group == Some(SUITE_GROUP) && value.get("kind").and_then(Value::as_str) == Some("Suite")
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn read_documents(path: &Path) -> Result<Vec<Document>, String> {
    let source = read_target(&Target::File(path.to_owned()), &CheckOptions::default())
        .map_err(|e| describe(&e))?;
    input::load(&source, input::Limits::default())
        .map(|l| l.documents)
        .map_err(|e| match e.span {
            Some(span) => describe(&CheckError::at(&source, span, e.code, e.message)),
            None => format!("{}: {}", source.name(), e.message),
        })
}

fn describe(e: &CheckError) -> String {
    match (e.line, e.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
        _ => format!("{}: {}", e.file, e.message),
    }
}

/// The suite files named by `paths`: files as given (they must be suites);
/// directories (a trailing `/...` is accepted, as `gator` writes it) walked
/// for YAML files that hold a Suite, in name order.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let text = path.to_string_lossy();
        let path = match text.strip_suffix("/...") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            Some(_) => PathBuf::from("."),
            None => path.clone(),
        };
        if path.is_file() {
            files.push(path);
            continue;
        }
        if !path.is_dir() {
            errors.push(format!("{}: no such file or directory", path.display()));
            continue;
        }
        let walker = walkdir::WalkDir::new(&path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && has_yaml_extension(e.path()) => {
                    let suite = read_documents(e.path())
                        .map(|docs| docs.iter().any(|d| is_suite(&d.value)))
                        .unwrap_or(false);
                    if suite {
                        files.push(e.into_path());
                    }
                }
                Ok(_) => {}
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    (files, errors)
}

/// Runs one suite file.
pub fn run(path: &Path, deadline: Duration) -> SuiteResult {
    let started = Instant::now();
    let mut result = SuiteResult {
        path: path.display().to_string(),
        skipped: false,
        error: None,
        tests: Vec::new(),
        runtime: Duration::ZERO,
    };
    let suite = match read_documents(path) {
        Ok(docs) => docs.into_iter().find(|d| is_suite(&d.value)),
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    let Some(suite) = suite else {
        result.error = Some(format!(
            "{}: not a gator Suite (apiVersion {SUITE_GROUP}/v1alpha1, kind Suite)",
            path.display()
        ));
        return result;
    };
    if suite.value.get("skip").and_then(Value::as_bool) == Some(true) {
        result.skipped = true;
        return result;
    }
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let tests = match suite.value.get("tests") {
        Some(Value::Array(tests)) => tests.clone(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            result.error = Some(format!("{}: tests must be a list", path.display()));
            return result;
        }
    };
    for test in &tests {
        result.tests.push(run_test(&dir, test, deadline));
    }
    result.runtime = started.elapsed();
    result
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn skipped(value: &Value) -> bool {
    value.get("skip").and_then(Value::as_bool) == Some(true)
}

/// The one document of a file a suite names.
fn single(dir: &Path, file: &str, what: &str) -> Result<Document, String> {
    if file.is_empty() {
        return Err(format!("invalid suite: missing {what}"));
    }
    let path = dir.join(file);
    let mut docs = read_documents(&path)?;
    if docs.len() > 1 {
        return Err(format!(
            "{}: defines {} objects, but a {what} file holds exactly one",
            path.display(),
            docs.len()
        ));
    }
    docs.pop()
        .ok_or_else(|| format!("{}: defines no objects", path.display()))
}

/// A test's template and constraint, compiled. The error says whether the
/// constraint was refused by its template's schema (what `invalid: true` expects).
fn compile_test(
    dir: &Path,
    test: &Value,
    deadline: Duration,
) -> Result<super::GatekeeperSet, (bool, String)> {
    let joined = |errors: &[CheckError]| errors.iter().map(describe).collect::<Vec<_>>().join("; ");
    let template = single(dir, text(test, "template"), "template").map_err(|e| (false, e))?;
    let constraint = single(dir, text(test, "constraint"), "constraint").map_err(|e| (false, e))?;
    let mut sources = Sources::default();
    for (doc, what) in [
        (&template, "ConstraintTemplate"),
        (&constraint, "Constraint"),
    ] {
        match sources.add(doc) {
            Ok(true) => {}
            Ok(false) => return Err((false, format!("{}: not a {what}", doc.source.name()))),
            Err(errors) => {
                let schema = errors
                    .iter()
                    .any(|e| e.code == "gatekeeper-invalid-constraint");
                return Err((schema, joined(&errors)));
            }
        }
    }
    sources.compile(deadline).map_err(|errors| {
        let schema = errors
            .iter()
            .any(|e| e.code == "gatekeeper-invalid-parameters");
        (schema, joined(&errors))
    })
}

fn run_test(dir: &Path, test: &Value, deadline: Duration) -> TestResult {
    let started = Instant::now();
    let mut result = TestResult {
        name: text(test, "name").to_owned(),
        skipped: skipped(test),
        error: None,
        cases: Vec::new(),
        runtime: Duration::ZERO,
    };
    if result.skipped {
        return result;
    }
    let invalid = test.get("invalid").and_then(Value::as_bool) == Some(true);
    match (compile_test(dir, test, deadline), invalid) {
        (Err((true, _)), true) => {}
        (Ok(_), true) => {
            result.error = Some(
                "the constraint is valid for its template, but the test expects it to be invalid"
                    .into(),
            );
        }
        (Err((_, message)), _) => result.error = Some(message),
        (Ok(set), false) => {
            if let Some(Value::Array(cases)) = test.get("cases") {
                for case in cases {
                    result.cases.push(run_case(dir, &set, case));
                }
            }
        }
    }
    result.runtime = started.elapsed();
    result
}

fn run_case(dir: &Path, set: &super::GatekeeperSet, case: &Value) -> CaseResult {
    let started = Instant::now();
    let mut result = CaseResult {
        name: text(case, "name").to_owned(),
        skipped: skipped(case),
        error: None,
        runtime: Duration::ZERO,
    };
    if !result.skipped {
        result.error = check_case(dir, set, case).err();
    }
    result.runtime = started.elapsed();
    result
}

fn check_case(dir: &Path, set: &super::GatekeeperSet, case: &Value) -> Result<(), String> {
    let object = text(case, "object");
    if object.is_empty() {
        return Err("invalid case: must define object".into());
    }
    let assertions = match case.get("assertions") {
        Some(Value::Array(a)) if !a.is_empty() => a.as_slice(),
        _ => return Err("invalid case: assertions must be non-empty".into()),
    };
    let object = single(dir, object, "object")?;
    let mut inventory = Inventory::new();
    let mut has_inventory = false;
    if let Some(Value::Array(files)) = case.get("inventory") {
        for file in files.iter().filter_map(Value::as_str) {
            for doc in read_documents(&dir.join(file))? {
                inventory.add(&doc.value);
            }
            has_inventory = true;
        }
    }
    let set = if has_inventory {
        set.with_inventory(inventory)?
    } else {
        set.clone()
    };
    let is_admission_review = object.value.get("kind").and_then(Value::as_str)
        == Some("AdmissionReview")
        && text(&object.value, "apiVersion").starts_with("admission.k8s.io/");
    let review = if is_admission_review {
        Review::of_request(object.value.get("request").unwrap_or(&Value::Null))
            .map_err(|e| format!("{}: {e}", object.source.name()))?
    } else {
        Review::of_object(&object.value)
    };
    let outcome = set.review(&review, None);
    if let Some(e) = outcome.errors.first() {
        return Err(e.to_string());
    }
    let messages: Vec<&str> = outcome
        .violations
        .iter()
        .map(|v| v.message.as_str())
        .collect();
    for assertion in assertions {
        check_assertion(assertion, &messages)?;
    }
    Ok(())
}

/// `violations`: an integer, or `yes`/`no` (YAML 1.1 reads those as
/// booleans; both spellings mean the same here).
enum Want {
    Exactly(u64),
    Some,
    None,
}

fn check_assertion(assertion: &Value, messages: &[&str]) -> Result<(), String> {
    let want = match assertion.get("violations") {
        None | Some(Value::Null) => Want::Some,
        Some(Value::Bool(true)) => Want::Some,
        Some(Value::Bool(false)) => Want::None,
        Some(Value::String(s)) if s == "yes" => Want::Some,
        Some(Value::String(s)) if s == "no" => Want::None,
        Some(Value::Number(n)) if n.as_u64().is_some() => Want::Exactly(n.as_u64().unwrap_or(0)),
        Some(other) => {
            return Err(format!(
                "invalid assertion: violations must be a nonnegative integer, \"yes\" or \"no\", not {other}"
            ))
        }
    };
    let pattern =
        match assertion.get("message").and_then(Value::as_str) {
            Some(p) => Some(regex::Regex::new(p).map_err(|e| {
                format!("invalid assertion: message is not a regular expression: {e}")
            })?),
            None => None,
        };
    let matching = messages
        .iter()
        .filter(|m| pattern.as_ref().is_none_or(|p| p.is_match(m)))
        .count() as u64;
    let containing = pattern
        .as_ref()
        .map(|p| format!(" containing {:?}", p.as_str()))
        .unwrap_or_default();
    let failure = match want {
        Want::Exactly(n) if n != matching => Some(format!("want exactly {n}")),
        Want::Some if matching == 0 => Some("want at least 1".to_owned()),
        Want::None if matching > 0 => Some("want none".to_owned()),
        _ => None,
    };
    match failure {
        None => Ok(()),
        Some(want) => Err(format!(
            "got {matching} violations{containing} but {want}: got messages {messages:?}"
        )),
    }
}
