//! ConstraintTemplates and Constraints read from their documents: the fields
//! Railyard uses, checked, with errors that point at the offending line of
//! the YAML or JSON file they came from.

use std::sync::Arc;

use serde_json::Value;

use super::matching::Match;
use crate::finding::CheckError;
use crate::input::{Document, PathSegment};
use crate::source::{SourceFile, Span};

/// The API group of ConstraintTemplates.
pub const TEMPLATE_GROUP: &str = "templates.gatekeeper.sh";
/// The API group of Constraints.
pub const CONSTRAINT_GROUP: &str = "constraints.gatekeeper.sh";
/// The only target Gatekeeper's validation webhook and `gator` evaluate.
pub const ADMISSION_TARGET: &str = "admission.k8s.gatekeeper.sh";

/// What a document of a policy directory is, for Gatekeeper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A `ConstraintTemplate` (`templates.gatekeeper.sh/*`).
    Template,
    /// A Constraint (`constraints.gatekeeper.sh/*`).
    Constraint,
}

/// Whether a document is a ConstraintTemplate or a Constraint.
pub fn doc_kind(value: &Value) -> Option<DocKind> {
    let group = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.split_once('/'))
        .map(|(group, _)| group)?;
    let kind = value.get("kind").and_then(Value::as_str)?;
    match group {
        TEMPLATE_GROUP if kind == "ConstraintTemplate" => Some(DocKind::Template),
        CONSTRAINT_GROUP => Some(DocKind::Constraint),
        _ => None,
    }
}

/// Rego text embedded in a YAML or JSON file, and how its lines map back to the file.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The Rego.
    pub text: String,
    /// The file it is embedded in.
    pub source: Arc<SourceFile>,
    /// Where the string value sits in the file.
    pub span: Span,
    /// For a block scalar (`rego: |`), the file line of the Rego's first line
    /// and the indentation removed from every line; otherwise `None`, and
    /// errors point at the value.
    pub block: Option<(usize, usize)>,
}

impl Embedded {
    fn new(doc: &Document, path: &[PathSegment], text: String) -> Self {
        let span = span_of(doc, path);
        let block = block_origin(&doc.source, span);
        Embedded {
            text,
            source: doc.source.clone(),
            span,
            block,
        }
    }

    /// The span in the file of a 1-based line and column of the Rego text.
    pub fn span_of(&self, line: usize, column: usize) -> Span {
        match self.block {
            Some((first, indent)) if line > 0 => {
                let start = self
                    .source
                    .offset_of(first + line - 1, column.max(1) + indent);
                let end = self
                    .source
                    .line_range(first + line - 1)
                    .map_or(start, |r| r.end.max(start));
                Span::new(start, end)
            }
            _ => self.span,
        }
    }
}

/// The file line where a block scalar's content starts and its indentation.
fn block_origin(source: &SourceFile, span: Span) -> Option<(usize, usize)> {
    let mut text = source.text().get(span.start..span.end)?;
    // A mapping value's span starts at its key (`rego: |`): skip to the value.
    if !(text.starts_with('|') || text.starts_with('>')) {
        let first_line = text.lines().next().unwrap_or("");
        if let Some(colon) = first_line.find(':') {
            text = text[colon + 1..].trim_start_matches([' ', '\t']);
        }
    }
    if !(text.starts_with('|') || text.starts_with('>')) {
        return None;
    }
    let header = source.line_col(span.start).line;
    // The indentation is that of the first line with content (YAML 1.2 §8.1.1.1).
    let mut line = header + 1;
    while let Some(range) = source.line_range(line) {
        let content = &source.text()[range];
        if !content.trim().is_empty() {
            let indent = content.len() - content.trim_start_matches(' ').len();
            return Some((header + 1, indent));
        }
        line += 1;
    }
    None
}

/// A template's Rego (its `violation` module) and libraries.
#[derive(Debug, Clone)]
pub struct RegoCode {
    /// The module that defines `violation`.
    pub rego: Embedded,
    /// Library modules (packages under `lib`).
    pub libs: Vec<Embedded>,
    /// `source.version: v1` (the `code` form only); otherwise Rego v0 unless
    /// the module imports `rego.v1`.
    pub v1: bool,
}

/// A ConstraintTemplate.
#[derive(Debug, Clone)]
pub struct Template {
    /// `metadata.name`.
    pub name: String,
    /// The Constraint kind it defines (`spec.crd.spec.names.kind`).
    pub kind: String,
    /// Its Rego.
    pub code: RegoCode,
    /// `spec.crd.spec.validation.openAPIV3Schema`: the schema of `spec.parameters`.
    pub schema: Option<Value>,
    /// `metadata.gatekeeper.sh/title` annotation.
    pub title: Option<String>,
    /// `description` annotation.
    pub description: Option<String>,
    /// The file.
    pub file: String,
    /// The file's text, for errors.
    pub source: Arc<SourceFile>,
    /// Where `metadata.name` (or the document) is.
    pub span: Span,
}

/// What a constraint does with a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Reported only (`dryrun`): never fails a check nor denies a request.
    Dryrun,
    /// A warning (`warn`).
    Warn,
    /// A failure (`deny`, the default).
    Deny,
}

impl Action {
    /// The name in `enforcementAction`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Deny => "deny",
            Action::Warn => "warn",
            Action::Dryrun => "dryrun",
        }
    }

    fn parse(text: &str) -> Option<Action> {
        match text {
            "deny" => Some(Action::Deny),
            "warn" => Some(Action::Warn),
            "dryrun" => Some(Action::Dryrun),
            _ => None,
        }
    }
}

/// Where a constraint is enforced: Gatekeeper's names for its enforcement points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnforcementPoint {
    /// `gator.gatekeeper.sh`: `policy check` and `policy verify`, like `gator`.
    Gator,
    /// `validation.gatekeeper.sh`: the admission webhook.
    Webhook,
}

impl EnforcementPoint {
    /// Gatekeeper's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            EnforcementPoint::Gator => "gator.gatekeeper.sh",
            EnforcementPoint::Webhook => "validation.gatekeeper.sh",
        }
    }
}

/// `enforcementAction`, with `scoped` resolved into per-point actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enforcement {
    /// One action everywhere.
    All(Action),
    /// `scoped`: `scopedEnforcementActions`, each action with the points it applies at.
    Scoped(Vec<(Action, Vec<String>)>),
}

impl Enforcement {
    /// The action at an enforcement point (the strongest when several apply);
    /// `None` when a scoped constraint is not enforced there.
    pub fn at(&self, point: EnforcementPoint) -> Option<Action> {
        match self {
            Enforcement::All(action) => Some(*action),
            Enforcement::Scoped(scoped) => scoped
                .iter()
                .filter(|(_, points)| points.iter().any(|p| p == "*" || p == point.as_str()))
                .map(|(action, _)| *action)
                .max(),
        }
    }

    /// How `policy rules` shows it.
    pub fn describe(&self) -> String {
        match self {
            Enforcement::All(action) => action.as_str().to_owned(),
            Enforcement::Scoped(scoped) => {
                let parts: Vec<String> = scoped
                    .iter()
                    .map(|(a, points)| format!("{}@{}", a.as_str(), points.join("|")))
                    .collect();
                format!("scoped({})", parts.join(","))
            }
        }
    }
}

/// A Constraint: a template kind, its parameters and what it applies to.
#[derive(Debug, Clone)]
pub struct Constraint {
    /// `metadata.name`: the rule id of its findings.
    pub name: String,
    /// `kind`: the template it instantiates.
    pub kind: String,
    /// `spec.match`.
    pub matcher: Match,
    /// `spec.parameters` (`{}` when absent, as Gatekeeper defaults it).
    pub parameters: Value,
    /// `spec.enforcementAction`.
    pub enforcement: Enforcement,
    /// The file.
    pub file: String,
    /// The file's text, for errors.
    pub source: Arc<SourceFile>,
    /// Where `metadata.name` (or the document) is.
    pub span: Span,
    /// Where `spec.parameters` is (or the document), for schema errors.
    pub parameters_span: Span,
}

/// A path of object keys.
pub(crate) fn keys(path: &[&str]) -> Vec<PathSegment> {
    path.iter()
        .map(|k| PathSegment::Key((*k).to_owned()))
        .collect()
}

/// The span of `path` in the document (or of its nearest existing ancestor).
pub(crate) fn span_of(doc: &Document, path: &[PathSegment]) -> Span {
    doc.positions
        .locate(&doc.base, path)
        .map_or(doc.span, |(span, _)| span)
}

fn error(doc: &Document, path: &[PathSegment], code: &'static str, message: String) -> CheckError {
    CheckError::at(&doc.source, span_of(doc, path), code, message)
}

fn name_of(doc: &Document) -> Option<String> {
    doc.value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
}

fn strings_at(value: Option<&Value>) -> Option<Vec<String>> {
    match value {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Some(_) => None,
    }
}

/// Reads a ConstraintTemplate.
pub fn read_template(doc: &Document) -> Result<Template, Vec<CheckError>> {
    let v = &doc.value;
    let invalid = |path: &[&str], message: String| {
        vec![error(
            doc,
            &keys(path),
            "gatekeeper-invalid-template",
            message,
        )]
    };
    let Some(name) = name_of(doc) else {
        return Err(invalid(
            &["metadata"],
            "ConstraintTemplate has no metadata.name".into(),
        ));
    };
    let Some(kind) = v
        .pointer("/spec/crd/spec/names/kind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
    else {
        return Err(invalid(
            &["spec", "crd", "spec", "names", "kind"],
            format!("ConstraintTemplate {name} has no spec.crd.spec.names.kind (the Constraint kind it defines)"),
        ));
    };
    // Gatekeeper refuses a template whose name is not its kind in lower case.
    if name != kind.to_lowercase() {
        return Err(invalid(
            &["metadata", "name"],
            format!(
                "ConstraintTemplate {name}: metadata.name must be the kind in lower case (`{}`)",
                kind.to_lowercase()
            ),
        ));
    }
    let targets = match v.pointer("/spec/targets") {
        Some(Value::Array(t)) if t.len() == 1 => t,
        Some(Value::Array(t)) if t.len() > 1 => {
            return Err(invalid(
                &["spec", "targets"],
                format!(
                    "ConstraintTemplate {name}: Gatekeeper accepts exactly one target, found {}",
                    t.len()
                ),
            ))
        }
        _ => {
            return Err(invalid(
                &["spec", "targets"],
                format!("ConstraintTemplate {name} has no spec.targets"),
            ))
        }
    };
    let target = &targets[0];
    let at = |rest: &[&str]| {
        let mut path = keys(&["spec", "targets"]);
        path.push(PathSegment::Index(0));
        path.extend(keys(rest));
        path
    };
    let target_name = target.get("target").and_then(Value::as_str).unwrap_or("");
    if target_name != ADMISSION_TARGET {
        return Err(vec![error(
            doc,
            &at(&["target"]),
            "gatekeeper-unsupported-target",
            format!(
                "ConstraintTemplate {name}: target `{target_name}` is not supported; Railyard evaluates the `{ADMISSION_TARGET}` target"
            ),
        )]);
    }
    let code = read_code(doc, target, &at, &name)?;
    let annotation = |key: &str| {
        v.pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .map(|s| s.trim().to_owned())
    };
    Ok(Template {
        kind: kind.to_owned(),
        code,
        schema: v
            .pointer("/spec/crd/spec/validation/openAPIV3Schema")
            .filter(|s| s.is_object())
            .cloned(),
        title: annotation("metadata.gatekeeper.sh/title"),
        description: annotation("description"),
        file: doc.source.name().to_owned(),
        source: doc.source.clone(),
        span: span_of(doc, &keys(&["metadata", "name"])),
        name,
    })
}

/// The Rego of a target: `code[]` with engine `Rego`, or the older `rego` and `libs` fields.
fn read_code(
    doc: &Document,
    target: &Value,
    at: &dyn Fn(&[&str]) -> Vec<PathSegment>,
    name: &str,
) -> Result<RegoCode, Vec<CheckError>> {
    let invalid = |path: Vec<PathSegment>, message: String| {
        vec![error(doc, &path, "gatekeeper-invalid-template", message)]
    };
    let libs_at = |value: Option<&Value>, base: Vec<PathSegment>| {
        let Some(libs) = strings_at(value) else {
            return Err(invalid(
                base.clone(),
                format!("ConstraintTemplate {name}: libs must be a list of strings"),
            ));
        };
        Ok(libs
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let mut path = base.clone();
                path.push(PathSegment::Index(i));
                Embedded::new(doc, &path, text)
            })
            .collect::<Vec<_>>())
    };
    let mut engines = Vec::new();
    if let Some(Value::Array(code)) = target.get("code") {
        for (i, entry) in code.iter().enumerate() {
            let engine = entry.get("engine").and_then(Value::as_str).unwrap_or("");
            if engine != "Rego" {
                engines.push(engine.to_owned());
                continue;
            }
            let base = |rest: &[&str]| {
                let mut path = at(&["code"]);
                path.push(PathSegment::Index(i));
                path.extend(keys(rest));
                path
            };
            let Some(rego) = entry.pointer("/source/rego").and_then(Value::as_str) else {
                return Err(invalid(
                    base(&["source"]),
                    format!("ConstraintTemplate {name}: the Rego code has no source.rego"),
                ));
            };
            let version = entry.pointer("/source/version").and_then(Value::as_str);
            return Ok(RegoCode {
                rego: Embedded::new(doc, &base(&["source", "rego"]), rego.to_owned()),
                libs: libs_at(entry.pointer("/source/libs"), base(&["source", "libs"]))?,
                v1: version == Some("v1"),
            });
        }
    }
    if let Some(rego) = target.get("rego").and_then(Value::as_str) {
        return Ok(RegoCode {
            rego: Embedded::new(doc, &at(&["rego"]), rego.to_owned()),
            libs: libs_at(target.get("libs"), at(&["libs"]))?,
            v1: false,
        });
    }
    if engines.is_empty() {
        return Err(invalid(
            at(&[]),
            format!("ConstraintTemplate {name} has no Rego (neither `rego` nor a `code` entry with engine Rego)"),
        ));
    }
    Err(vec![error(
        doc,
        &at(&["code"]),
        "gatekeeper-cel-only",
        format!(
            "ConstraintTemplate {name} has only {} code and no Rego; Railyard evaluates Rego templates only (CEL `K8sNativeValidation` is not supported)",
            engines.join(", ")
        ),
    )])
}

/// Reads a Constraint.
pub fn read_constraint(doc: &Document) -> Result<Constraint, Vec<CheckError>> {
    let v = &doc.value;
    let invalid = |path: &[&str], message: String| {
        vec![error(
            doc,
            &keys(path),
            "gatekeeper-invalid-constraint",
            message,
        )]
    };
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let Some(name) = name_of(doc) else {
        return Err(invalid(
            &["metadata"],
            format!("{kind} constraint has no metadata.name"),
        ));
    };
    let spec = v.get("spec").unwrap_or(&Value::Null);
    if !(spec.is_null() || spec.is_object()) {
        return Err(invalid(
            &["spec"],
            format!("constraint {name}: spec must be a mapping"),
        ));
    }
    let matcher = match spec.get("match") {
        None | Some(Value::Null) => Match::default(),
        Some(m) => Match::parse(m).map_err(|(path, message)| {
            let mut full = keys(&["spec", "match"]);
            full.extend(path);
            vec![error(
                doc,
                &full,
                "gatekeeper-invalid-constraint",
                format!("constraint {name}: spec.match: {message}"),
            )]
        })?,
    };
    let enforcement = read_enforcement(spec)
        .map_err(|(path, message)| invalid(&path, format!("constraint {name}: {message}")))?;
    let parameters = match spec.get("parameters") {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(p) => p.clone(),
    };
    Ok(Constraint {
        kind,
        matcher,
        parameters,
        enforcement,
        file: doc.source.name().to_owned(),
        source: doc.source.clone(),
        span: span_of(doc, &keys(&["metadata", "name"])),
        parameters_span: span_of(doc, &keys(&["spec", "parameters"])),
        name,
    })
}

type FieldError = (Vec<&'static str>, String);

fn read_enforcement(spec: &Value) -> Result<Enforcement, FieldError> {
    let action = match spec.get("enforcementAction") {
        None | Some(Value::Null) => "deny",
        Some(Value::String(s)) if s.is_empty() => "deny",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            return Err((
                vec!["spec", "enforcementAction"],
                "enforcementAction must be a string".into(),
            ))
        }
    };
    if let Some(action) = Action::parse(action) {
        return Ok(Enforcement::All(action));
    }
    if action != "scoped" {
        return Err((
            vec!["spec", "enforcementAction"],
            format!("unknown enforcementAction `{action}` (deny, warn, dryrun or scoped)"),
        ));
    }
    let path = vec!["spec", "scopedEnforcementActions"];
    let Some(Value::Array(entries)) = spec.get("scopedEnforcementActions") else {
        return Err((
            path,
            "enforcementAction `scoped` needs scopedEnforcementActions".into(),
        ));
    };
    let mut scoped = Vec::new();
    for entry in entries {
        let text = entry.get("action").and_then(Value::as_str).unwrap_or("");
        let Some(action) = Action::parse(text) else {
            return Err((
                path,
                format!("unknown scoped action `{text}` (deny, warn or dryrun)"),
            ));
        };
        let points = match entry.get("enforcementPoints") {
            Some(Value::Array(points)) => points
                .iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        scoped.push((action, points));
    }
    Ok(Enforcement::Scoped(scoped))
}
