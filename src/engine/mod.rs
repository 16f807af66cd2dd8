//! The policy engine: compiles a set of Rego policies once into a warmed
//! regorus engine, then evaluates documents on cheap clones of it. Pure and
//! synchronous: no file system, no async runtime, no CLI types.

mod ast;
mod batch;
pub(crate) mod calls;
mod collect;
mod context;
mod evaluate;
pub(crate) mod extensions;
pub mod lint;
pub mod metadata;
pub mod result;
mod split;
pub mod testing;
mod vm;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use collect::{collect_rules, Collected};

pub use context::Context;
pub use metadata::{RuleMeta, Severity};
pub use result::RuleOutput;
pub use vm::EngineKind;

use crate::source::SourceFile;

/// A Rego policy file's text and the name it is reported under.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// Path shown in diagnostics (`policies/kubernetes/privileged.rego`).
    pub path: String,
    /// The Rego text.
    pub text: String,
}

/// A data document merged into `data`.
#[derive(Debug, Clone)]
pub struct DataSource {
    /// Path shown in diagnostics.
    pub path: String,
    /// The value (must be an object).
    pub value: Value,
}

/// Whether a finding fails the check or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// From `deny`/`violation` rules.
    Failure,
    /// From `warn` rules.
    Warning,
}

/// One `deny`/`violation`/`warn` rule of the set, with its metadata resolved.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Package path without the `data.` prefix (`railyard.kubernetes.privileged`).
    pub package: String,
    /// Rule name (`deny`, `warn_latest`, ...).
    pub name: String,
    /// The query that evaluates it (`data.<package>.<name>`).
    pub query: String,
    /// Failure or warning.
    pub level: Level,
    /// Metadata: rule scope over package scope.
    pub meta: RuleMeta,
    /// The file that defines it.
    pub file: String,
    /// 1-based line of its first definition.
    pub line: usize,
}

impl Rule {
    /// The id findings carry when the rule's output names none: `custom.id`, else `<package>.<name>`.
    pub fn id(&self) -> String {
        self.meta
            .id
            .clone()
            .unwrap_or_else(|| format!("{}.{}", self.package, self.name))
    }

    /// Whether the rule applies to a document of this format and kind, per `custom.targets`.
    pub fn applies_to(&self, format: &str, kind: Option<&str>) -> bool {
        self.meta.targets.is_empty()
            || self
                .meta
                .targets
                .iter()
                .any(|t| t.eq_ignore_ascii_case(format) || kind.is_some_and(|k| t == k) || t == "*")
    }
}

/// A Conftest `exception` rule: for an input, the set of rule-name lists
/// (`["run_as_root"]` excepts `deny_run_as_root`; `[""]` excepts `deny`)
/// whose findings in its package do not count.
#[derive(Debug, Clone)]
pub struct ExceptionRule {
    /// Package path without `data.`.
    pub package: String,
    /// `data.<package>.exception`.
    pub query: String,
    /// Defining file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

impl ExceptionRule {
    /// Whether an exception entry names this rule: `deny_x`, `violation_x`
    /// and `warn_x` are named `x`; the bare `deny` is named `""`.
    pub fn names(entry: &str, rule: &Rule) -> bool {
        let suffix = rule.name.split_once('_').map_or("", |(_, rest)| rest);
        suffix == entry
    }
}

/// A `test_*` rule.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// Package path without `data.`.
    pub package: String,
    /// Rule name.
    pub name: String,
    /// Defining file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// A policy that could not be compiled, with the place to fix.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct CompileError {
    /// Stable code (`rego-parse-error`, `rego-compile-error`, `data-error`).
    pub code: &'static str,
    /// The policy or data file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The file's text, for a code frame.
    pub text: Option<Arc<SourceFile>>,
}

/// A rule whose evaluation failed for one input.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{query}: {message}{}", .policy_location.as_ref().map(|(f, l, c)| format!(" (at {f}:{l}:{c})")).unwrap_or_default())]
pub struct EvalError {
    /// The rule's query.
    pub query: String,
    /// What went wrong.
    pub message: String,
    /// Whether the evaluation deadline passed.
    pub timed_out: bool,
    /// Where in the policy it went wrong, when regorus says.
    pub policy_location: Option<(String, usize, usize)>,
}

/// One element a rule produced for an input.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The rule.
    pub rule: Arc<Rule>,
    /// What it said.
    pub output: RuleOutput,
}

/// What evaluating one input produced.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Rule outputs, in rule order.
    pub hits: Vec<Hit>,
    /// Outputs an `exception` rule of their package excepted: reported, not counted.
    pub excepted: Vec<(Hit, Arc<ExceptionRule>)>,
    /// Rules that could not be evaluated.
    pub errors: Vec<EvalError>,
}

/// Per-evaluation choices a front end makes beyond the document itself.
#[derive(Default)]
pub struct EvalOptions<'a> {
    /// The value of `data.railyard.context` for this evaluation (undefined when `None`).
    pub context: Option<Context>,
    /// When set, only the rules it accepts are evaluated (on top of `custom.targets`).
    pub select: Option<&'a (dyn Fn(&Rule) -> bool + Sync)>,
}

impl std::fmt::Debug for EvalOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvalOptions")
            .field("context", &self.context)
            .field("select", &self.select.is_some())
            .finish()
    }
}

/// Options for compiling a policy set.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// Keep `_test.rego` files (for `policy test`).
    pub include_tests: bool,
    /// Time allowed to evaluate one input against the whole set.
    pub deadline: Duration,
    /// Rego packages whose rules run (with their sub-packages); empty = all.
    pub namespaces: Vec<String>,
    /// Evaluate every group on the one engine holding the whole set, instead
    /// of an engine per group with only the modules it needs (slower; kept to
    /// check that both give the same findings).
    pub single_engine: bool,
    /// Which evaluator runs the rule groups (the VM falls back to the
    /// interpreter per group; see vm/).
    pub engine: EngineKind,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            include_tests: false,
            deadline: Duration::from_secs(10),
            namespaces: Vec::new(),
            single_engine: false,
            engine: EngineKind::default(),
        }
    }
}

/// A compiled, warmed policy set. Cheap to share (`Arc`) and to evaluate from many threads.
#[derive(Debug, Clone)]
pub struct PolicySet {
    template: regorus::Engine,
    /// One engine per rule group with only the modules it needs (see split.rs).
    split: Option<Arc<split::SplitEngines>>,
    rules: Vec<Arc<Rule>>,
    /// Conftest `exception` rules, by package.
    exceptions: BTreeMap<String, Arc<ExceptionRule>>,
    groups: batch::Groups,
    tests: Vec<TestCase>,
    sources: Vec<Arc<SourceFile>>,
    deadline: Duration,
}

/// Whether a package is `namespace` or below it (`railyard.kubernetes` holds
/// `railyard.kubernetes.privileged`).
pub fn in_namespace(package: &str, namespace: &str) -> bool {
    let namespace = namespace.strip_prefix("data.").unwrap_or(namespace);
    package == namespace
        || package
            .strip_prefix(namespace)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Whether a policy path is a test file.
pub fn is_test_file(path: &str) -> bool {
    path.ends_with("_test.rego")
}

impl PolicySet {
    /// Parses and compiles every policy, merges the data, reads metadata and
    /// warms the engine. All errors are collected, not just the first.
    pub fn compile(
        policies: &[PolicySource],
        data: &[DataSource],
        options: &CompileOptions,
    ) -> Result<PolicySet, Vec<CompileError>> {
        let mut engine = regorus::Engine::new();
        engine.set_gather_prints(true);
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        let mut metas = BTreeMap::new();
        for policy in policies {
            if !options.include_tests && is_test_file(&policy.path) {
                continue;
            }
            let source = SourceFile::new(policy.path.clone(), policy.text.clone());
            if let Err(e) = add_policy(&mut engine, policy) {
                errors.push(compile_error("rego-parse-error", &e, &policy.path, &source));
            }
            let meta = metadata::parse(&policy.text);
            for (line, message) in &meta.errors {
                errors.push(CompileError {
                    code: "metadata-invalid",
                    file: policy.path.clone(),
                    line: *line,
                    column: 1,
                    message: format!("METADATA block is not valid YAML: {message}"),
                    text: Some(source.clone()),
                });
            }
            metas.insert(policy.path.clone(), meta);
            sources.push(source);
        }
        for d in data {
            if let Err(e) = engine.add_data(regorus::Value::from(d.value.clone())) {
                errors.push(CompileError {
                    code: "data-error",
                    file: d.path.clone(),
                    line: 0,
                    column: 0,
                    message: format!("cannot merge data: {e}"),
                    text: None,
                });
            }
        }
        extensions::register(&mut engine);
        if let Err(e) = context::register(&mut engine) {
            errors.push(CompileError {
                code: "rego-compile-error",
                file: context::MODULE_PATH.to_owned(),
                line: 0,
                column: 0,
                message: format!("cannot define data.railyard.context: {e}"),
                text: None,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Analysis (undefined functions, scheduling) happens on the first evaluation:
        // do it now, once, so that every clone starts warm and errors surface here.
        if let Err(e) = engine.eval_query("true".to_string(), false) {
            let file = locate_message(&e.to_string())
                .map(|(f, _, _)| f)
                .unwrap_or_default();
            let source = sources.iter().find(|s| s.name() == file).cloned();
            let fallback = SourceFile::new(file.clone(), String::new());
            errors.push(compile_error(
                "rego-compile-error",
                &e,
                &file,
                source.as_ref().unwrap_or(&fallback),
            ));
            return Err(errors);
        }
        let _ = engine.take_prints();
        let analysis = calls::analyze(engine.get_modules());
        for cycle in analysis.cycles {
            errors.push(CompileError {
                code: "rego-recursion",
                message: format!(
                    "recursion is not allowed in Rego: {}",
                    cycle.chain.join(" -> ")
                ),
                text: sources.iter().find(|s| s.name() == cycle.file).cloned(),
                file: cycle.file,
                line: cycle.line,
                column: cycle.column,
            });
        }
        let calls = analysis.undefined;
        for call in calls.into_iter().filter(|c| c.file != context::MODULE_PATH) {
            errors.push(CompileError {
                code: "rego-undefined-function",
                message: format!("call to undefined function `{}`", call.name),
                text: sources.iter().find(|s| s.name() == call.file).cloned(),
                file: call.file,
                line: call.line,
                column: call.column,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let Collected {
            mut rules,
            tests,
            exceptions,
        } = collect_rules(&mut engine, &metas);
        if !options.namespaces.is_empty() {
            rules.retain(|r| {
                options
                    .namespaces
                    .iter()
                    .any(|ns| in_namespace(&r.package, ns))
            });
        }
        let (groups, rego) = batch::Groups::plan(&rules);
        let batch_modules = batch::Groups::modules(&rego);
        for (i, module) in batch_modules.iter().enumerate() {
            // Generated from names regorus already accepted: failing here is a bug.
            engine
                .add_policy(format!("{}#{i}", batch::FILE), module.clone())
                .map_err(|e| batch_error(&e, &rego))?;
        }
        let split = (!options.single_engine).then(|| {
            let packages: HashMap<String, String> = engine
                .get_modules()
                .iter()
                .map(|m| {
                    (
                        m.package.span.source.file().clone(),
                        m.package.refr.span().text().to_owned(),
                    )
                })
                .collect();
            let policies = policies
                .iter()
                .filter(|p| options.include_tests || !is_test_file(&p.path))
                .filter_map(|p| Some((p.clone(), packages.get(&p.path)?.clone())))
                .collect();
            let group_packages = groups.iter().map(|g| {
                let mut packages: Vec<String> = g
                    .rules
                    .iter()
                    .filter_map(|i| rules.get(*i))
                    .map(|r| r.package.clone())
                    .collect();
                packages.dedup();
                packages
            });
            Arc::new(split::SplitEngines::new(
                policies,
                data.iter()
                    .map(|d| regorus::Value::from(d.value.clone()))
                    .collect(),
                batch_modules.into_iter().zip(group_packages).collect(),
                options.engine,
                options.deadline,
            ))
        });
        engine
            .eval_query("true".to_string(), false)
            .map_err(|e| batch_error(&e, &rego))?;
        engine.set_execution_timer_config(evaluate::timer(options.deadline));
        Ok(PolicySet {
            template: engine,
            split,
            rules,
            exceptions,
            groups,
            tests,
            sources,
            deadline: options.deadline,
        })
    }

    /// The rule groups that run on the interpreter although the VM was asked
    /// for: each group's rule ids and why (empty under the interpreter engine).
    pub fn interpreted_groups(&self) -> Vec<(Vec<String>, String)> {
        self.interpreted_among(self.groups.iter())
    }

    /// Compiles now the VM programs of the rule groups that documents of
    /// `format` use, for the kinds `kind` accepts and those no rule targets,
    /// instead of on the first such document (the webhook does this at every
    /// load, so that no request pays for it), and returns those groups that
    /// stay on the interpreter, as [`PolicySet::interpreted_groups`] does.
    pub fn prepare(&self, format: &str, kind: impl Fn(&str) -> bool) -> Vec<(Vec<String>, String)> {
        self.interpreted_among(self.groups.for_format(format, kind).into_iter())
    }

    /// Compiles the VM programs of `groups` (if not yet) and returns those
    /// that have none: rule ids and why.
    fn interpreted_among<'g>(
        &self,
        groups: impl Iterator<Item = &'g batch::Group>,
    ) -> Vec<(Vec<String>, String)> {
        let Some(split) = self.split.as_ref() else {
            return Vec::new();
        };
        groups
            .filter(|g| !g.rules.is_empty())
            .filter_map(|g| {
                let reason = split.program_error(g.id)?.to_owned();
                let ids = g
                    .rules
                    .iter()
                    .filter_map(|i| self.rules.get(*i))
                    .map(|r| r.id())
                    .collect();
                Some((ids, reason))
            })
            .collect()
    }

    /// Whether the rule group of documents of this format and kind runs on the VM.
    pub fn runs_on_vm(&self, format: &str, kind: Option<&str>) -> bool {
        self.groups
            .for_document(format, kind)
            .zip(self.split.as_ref())
            .is_some_and(|(g, split)| split.program(g.id).is_some())
    }

    /// The rules that produce findings.
    pub fn rules(&self) -> &[Arc<Rule>] {
        &self.rules
    }

    /// The `test_*` rules (only when compiled with tests).
    pub fn tests(&self) -> &[TestCase] {
        &self.tests
    }

    /// The policy files, for code frames.
    pub fn sources(&self) -> &[Arc<SourceFile>] {
        &self.sources
    }

    /// A fresh clone of the warmed engine.
    pub(crate) fn engine(&self) -> regorus::Engine {
        self.template.clone()
    }
}

/// Converts a regorus value to JSON; sets become arrays, undefined becomes null.
pub(crate) fn rego_to_json(value: &regorus::Value) -> Value {
    if *value == regorus::Value::Undefined {
        return Value::Null;
    }
    // A number JSON cannot hold (an RSA modulus, 1e400) fails the whole
    // conversion, which would silently drop every finding of the document:
    // convert piece by piece then, with such numbers as their decimal text.
    serde_json::to_value(value).unwrap_or_else(|_| rego_to_json_lossless(value))
}

fn rego_to_json_lossless(value: &regorus::Value) -> Value {
    use regorus::Value as R;
    match value {
        R::Null | R::Undefined => Value::Null,
        R::Bool(b) => Value::Bool(*b),
        R::String(s) => Value::String(s.as_ref().to_owned()),
        R::Number(n) => {
            serde_json::to_value(n).unwrap_or_else(|_| Value::String(n.format_decimal()))
        }
        R::Array(items) => Value::Array(items.iter().map(rego_to_json_lossless).collect()),
        R::Set(items) => Value::Array(items.iter_sorted().map(rego_to_json_lossless).collect()),
        R::Object(fields) => Value::Object(
            fields
                .iter_sorted()
                .map(|(k, v)| {
                    let key = match k {
                        R::String(s) => s.as_ref().to_owned(),
                        other => rego_to_json_lossless(other).to_string(),
                    };
                    (key, rego_to_json_lossless(v))
                })
                .collect(),
        ),
    }
}

fn add_policy(engine: &mut regorus::Engine, policy: &PolicySource) -> anyhow::Result<()> {
    engine.set_rego_v0(false);
    match engine.add_policy(policy.path.clone(), policy.text.clone()) {
        Ok(_) => Ok(()),
        // Rego v0 is accepted per file when it does not claim v1, does not parse as
        // v1 and looks like v0 (regorus prints warnings when v0 parsing meets v1 keywords).
        Err(v1_error) if looks_like_v0(&policy.text) => {
            engine.set_rego_v0(true);
            let v0 = engine.add_policy(policy.path.clone(), policy.text.clone());
            engine.set_rego_v0(false);
            v0.map(|_| ()).map_err(|_| v1_error)
        }
        Err(e) => Err(e),
    }
}

/// Whether a file that failed to parse as Rego v1 is worth parsing as v0: it does
/// not import `rego.v1`, and uses the v1 keywords only through `future.keywords`.
fn looks_like_v0(text: &str) -> bool {
    if text.contains("import rego.v1") {
        return false;
    }
    if text.contains("import future.keywords") {
        return true;
    }
    let code = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    !code
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == "if" || word == "contains")
}

/// Finds `--> file:line:col` in a regorus error message.
pub(crate) fn locate_message(message: &str) -> Option<(String, usize, usize)> {
    let at = message.find("--> ")?;
    let rest = &message[at + 4..];
    let loc = rest.lines().next()?.trim();
    let mut parts = loc.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_owned();
    Some((file, line, column))
}

/// The human part of a regorus error: the text after its code frame.
pub(crate) fn error_text(message: &str) -> String {
    match message.rfind("\nerror: ") {
        Some(i) => message[i + 8..].trim().to_owned(),
        None => one_line(message),
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A failure to compile the generated batch packages (an internal error).
fn batch_error(e: &anyhow::Error, rego: &str) -> Vec<CompileError> {
    let source = SourceFile::new(batch::FILE, rego.to_owned());
    vec![compile_error("internal-error", e, batch::FILE, &source)]
}

fn compile_error(
    code: &'static str,
    e: &anyhow::Error,
    path: &str,
    source: &Arc<SourceFile>,
) -> CompileError {
    let message = format!("{e:#}");
    let (file, line, column) = locate_message(&message).unwrap_or_else(|| (path.to_owned(), 0, 0));
    CompileError {
        code,
        file,
        line,
        column,
        message: error_text(&message),
        text: Some(source.clone()),
    }
}

#[cfg(test)]
mod tests;
