//! One ConstraintTemplate compiled into its own warmed regorus engine: its
//! Rego and libraries (Rego v0 by default, as Gatekeeper reads them; v1 when
//! the module imports `rego.v1` or the code says `version: v1`), checked the
//! way Gatekeeper checks them, and the static checks `policy check` applies
//! to every policy. Errors point at the line in the template's file.

use std::sync::Arc;
use std::time::{Duration, Instant};

use regorus::unstable::{Rule as AstRule, RuleHead};

use super::model::{Embedded, Template};
use crate::engine::calls;
use crate::engine::{error_text, locate_message, rego_to_json};
use crate::finding::CheckError;

/// A compiled template. Cloning is cheap (the engine is reference-counted inside).
#[derive(Debug, Clone)]
pub struct CompiledTemplate {
    /// The template.
    pub template: Arc<Template>,
    engine: regorus::Engine,
    query: String,
}

/// Why one evaluation of a template failed.
#[derive(Debug, Clone)]
pub struct TemplateError {
    /// What regorus said, with the template line when it said one.
    pub message: String,
    /// Whether the deadline passed.
    pub timed_out: bool,
}

/// The name regorus knows a module by: tells the template's own Rego from its libraries.
fn module_name(template: &Template, lib: Option<usize>) -> String {
    match lib {
        None => format!("{}#rego", template.file),
        Some(i) => format!("{}#libs[{i}]", template.file),
    }
}

fn embedded_for<'t>(template: &'t Template, module: &str) -> Option<&'t Embedded> {
    if module == module_name(template, None) {
        return Some(&template.code.rego);
    }
    (0..template.code.libs.len())
        .find(|i| module == module_name(template, Some(*i)))
        .and_then(|i| template.code.libs.get(i))
}

/// An error at a line and column of one of the template's modules (or at the
/// template's name when the module or line is unknown).
fn error_at(
    template: &Template,
    module: &str,
    line: usize,
    column: usize,
    code: &'static str,
    message: String,
) -> CheckError {
    let span = match embedded_for(template, module) {
        Some(embedded) => embedded.span_of(line, column),
        None => template.span,
    };
    CheckError::at(&template.source, span, code, message)
}

fn regorus_error(
    template: &Template,
    fallback: &str,
    code: &'static str,
    e: &anyhow::Error,
) -> CheckError {
    let text = format!("{e:#}");
    let (module, line, column) =
        locate_message(&text).unwrap_or_else(|| (fallback.to_owned(), 0, 0));
    let message = error_text(&text);
    let code = if text.contains("external_data") {
        "gatekeeper-external-data"
    } else {
        code
    };
    error_at(
        template,
        &module,
        line,
        column,
        code,
        format!("ConstraintTemplate {}: {message}", template.name),
    )
}

/// Adds one module as Rego v0 or v1 (trying the other when the first does
/// not parse, as Gatekeeper's driver does); returns its package (`data.x.y`).
fn add_module(
    engine: &mut regorus::Engine,
    name: &str,
    text: &str,
    prefer_v1: bool,
) -> anyhow::Result<String> {
    let v1 = prefer_v1 || text.contains("import rego.v1");
    engine.set_rego_v0(!v1);
    let first = engine.add_policy(name.to_owned(), text.to_owned());
    let result = match first {
        Ok(package) => Ok(package),
        Err(e) => {
            engine.set_rego_v0(v1);
            engine
                .add_policy(name.to_owned(), text.to_owned())
                .map_err(|_| e)
        }
    };
    engine.set_rego_v0(false);
    result
}

fn defines_violation(engine: &mut regorus::Engine, module: &str) -> bool {
    engine
        .get_modules()
        .iter()
        .filter(|m| m.package.span.source.file() == module)
        .flat_map(|m| m.policy.iter())
        .any(|rule| {
            let refr = match rule.as_ref() {
                AstRule::Spec { head, .. } => match head {
                    RuleHead::Compr { refr, .. }
                    | RuleHead::Set { refr, .. }
                    | RuleHead::Func { refr, .. } => refr,
                },
                AstRule::Default { refr, .. } => refr,
            };
            refr.span().text() == "violation"
        })
}

impl CompiledTemplate {
    /// Compiles and warms a template; every problem is reported, with its place.
    pub fn compile(template: Arc<Template>, deadline: Duration) -> Result<Self, Vec<CheckError>> {
        let mut engine = regorus::Engine::new();
        engine.set_gather_prints(true);
        // Gatekeeper's driver leaves OPA's strict built-in errors off: a
        // built-in that fails (`to_number("abc")`) is undefined, not an error.
        engine.set_strict_builtin_errors(false);
        // The OPA built-ins regorus lacks, as for every policy, then the ones only v0 has.
        crate::engine::extensions::register(&mut engine);
        super::deprecated::register(&mut engine);
        let mut errors = Vec::new();
        let main = module_name(&template, None);
        let code = &template.code;
        let package = match add_module(&mut engine, &main, &code.rego.text, code.v1) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(regorus_error(&template, &main, "rego-parse-error", &e));
                None
            }
        };
        for (i, lib) in code.libs.iter().enumerate() {
            let name = module_name(&template, Some(i));
            match add_module(&mut engine, &name, &lib.text, code.v1) {
                // Gatekeeper only lets libraries live under `data.lib`.
                Ok(p) if !(p == "data.lib" || p.starts_with("data.lib.")) => {
                    errors.push(CheckError::at(
                        &template.source,
                        lib.span_of(1, 1),
                        "gatekeeper-invalid-template",
                        format!(
                            "ConstraintTemplate {}: library package `{}` must be under `lib` (for example `package lib.helpers`)",
                            template.name,
                            p.trim_start_matches("data.")
                        ),
                    ));
                }
                Ok(_) => {}
                Err(e) => errors.push(regorus_error(&template, &name, "rego-parse-error", &e)),
            }
        }
        let Some(package) = package else {
            return Err(errors);
        };
        if !defines_violation(&mut engine, &main) {
            errors.push(CheckError::at(
                &template.source,
                code.rego.span,
                "gatekeeper-invalid-template",
                format!(
                    "ConstraintTemplate {}: the Rego defines no `violation` rule",
                    template.name
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let analysis = calls::analyze(engine.get_modules());
        let undefined = analysis
            .undefined
            .into_iter()
            .filter(|c| !super::deprecated::is_deprecated_builtin(&c.name));
        for call in undefined {
            let (code, message) = if call.name == "external_data" {
                (
                    "gatekeeper-external-data",
                    format!(
                        "ConstraintTemplate {} calls `external_data`: Gatekeeper external data providers are not supported by Railyard",
                        template.name
                    ),
                )
            } else {
                (
                    "rego-undefined-function",
                    format!(
                        "ConstraintTemplate {}: call to undefined function `{}`",
                        template.name, call.name
                    ),
                )
            };
            errors.push(error_at(
                &template,
                &call.file,
                call.line,
                call.column,
                code,
                message,
            ));
        }
        for cycle in analysis.cycles {
            errors.push(error_at(
                &template,
                &cycle.file,
                cycle.line,
                cycle.column,
                "rego-recursion",
                format!(
                    "ConstraintTemplate {}: recursion is not allowed in Rego: {}",
                    template.name,
                    cycle.chain.join(" -> ")
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // regorus analyses on the first evaluation: do it once here, so that
        // every clone starts warm and errors surface now.
        if let Err(e) = engine.eval_query("true".to_owned(), false) {
            return Err(vec![regorus_error(
                &template,
                &main,
                "rego-compile-error",
                &e,
            )]);
        }
        let _ = engine.take_prints();
        engine.set_execution_timer_config(super::timer(deadline));
        Ok(CompiledTemplate {
            query: format!("{package}.violation"),
            template,
            engine,
        })
    }

    /// The same template with `data.inventory` set, warmed again.
    pub fn with_inventory(&self, inventory: &regorus::Value) -> Result<Self, String> {
        let mut engine = self.engine.clone();
        let mut data = regorus::Value::new_object();
        data.as_object_mut()
            .map_err(|e| e.to_string())?
            .insert(regorus::Value::from("inventory"), inventory.clone());
        engine.add_data(data).map_err(|e| e.to_string())?;
        engine
            .eval_query("true".to_owned(), false)
            .map_err(|e| e.to_string())?;
        Ok(CompiledTemplate {
            template: self.template.clone(),
            engine,
            query: self.query.clone(),
        })
    }

    /// Evaluates `violation` with this `input`; each element as JSON.
    pub fn violations(
        &self,
        input: regorus::Value,
        deadline: Duration,
    ) -> Result<Vec<serde_json::Value>, TemplateError> {
        let mut engine = self.engine.clone();
        engine.set_input(input);
        engine.set_execution_timer_config(super::timer(deadline));
        let started = Instant::now();
        match engine.eval_rule(self.query.clone()) {
            Ok(value) => Ok(match rego_to_json(&value) {
                serde_json::Value::Array(items) => items,
                serde_json::Value::Null => Vec::new(),
                other => vec![other],
            }),
            Err(e) => {
                let text = format!("{e:#}");
                let timed_out = started.elapsed() >= deadline;
                let at = locate_message(&text)
                    .and_then(|(module, line, column)| {
                        let embedded = embedded_for(&self.template, &module)?;
                        let span = embedded.span_of(line, column);
                        let place = embedded.source.line_col(span.start);
                        Some(format!(
                            " (at {}:{}:{})",
                            self.template.file, place.line, place.column
                        ))
                    })
                    .unwrap_or_default();
                let message = if timed_out {
                    format!(
                        "evaluation did not finish within the deadline of {deadline:?}; the template may loop or do too much work"
                    )
                } else {
                    format!("{}{at}", error_text(&text))
                };
                Err(TemplateError { message, timed_out })
            }
        }
    }
}
