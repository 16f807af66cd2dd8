//! The templates and constraints of a policy set, compiled, and a review of
//! one object (or admission request) against every constraint that matches
//! it: `input` is `{"review": ..., "parameters": ...}` and each `violation`
//! element with a `msg` is a violation, as in Gatekeeper's driver.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::compile::CompiledTemplate;
use super::inventory::Inventory;
use super::model::{Action, Constraint, EnforcementPoint, Template};
use super::review::Review;
use super::schema;
use crate::finding::CheckError;

/// One violation of one constraint.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The constraint.
    pub constraint: Arc<Constraint>,
    /// Its template.
    pub template: Arc<Template>,
    /// What the constraint does with it at this enforcement point.
    pub action: Action,
    /// `msg`.
    pub message: String,
    /// `details` (`{}` when the template gave none, as in Gatekeeper).
    pub details: Value,
}

/// A constraint that could not review an object.
#[derive(Debug, Clone)]
pub struct ReviewError {
    /// The constraint's name.
    pub constraint: String,
    /// What went wrong.
    pub message: String,
    /// Whether the deadline passed.
    pub timed_out: bool,
    /// Whether the template's Rego failed (rather than the match): Gatekeeper
    /// turns such a failure into a violation whose message is the error.
    pub in_template: bool,
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "constraint {}: {}", self.constraint, self.message)
    }
}

/// What reviewing one object gave.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Violations, constraint by constraint (in name order).
    pub violations: Vec<Violation>,
    /// Constraints that could not review it.
    pub errors: Vec<ReviewError>,
}

#[derive(Debug, Clone)]
struct Bound {
    constraint: Arc<Constraint>,
    template: usize,
    parameters: regorus::Value,
}

/// Compiled templates and their constraints. Cheap to clone and share.
#[derive(Debug, Clone, Default)]
pub struct GatekeeperSet {
    templates: Vec<CompiledTemplate>,
    constraints: Vec<Bound>,
    inventory: Option<Arc<Inventory>>,
    deadline: Duration,
}

impl GatekeeperSet {
    /// Compiles every template and binds every constraint to its template;
    /// all problems are reported together.
    pub fn compile(
        templates: Vec<Template>,
        constraints: Vec<Constraint>,
        deadline: Duration,
    ) -> Result<Self, Vec<CheckError>> {
        let mut errors = Vec::new();
        let mut by_kind: HashMap<String, usize> = HashMap::new();
        let mut compiled = Vec::new();
        let mut failed = HashSet::new();
        for template in templates {
            if let Some(&i) = by_kind.get(&template.kind) {
                let first: &CompiledTemplate = &compiled[i];
                errors.push(CheckError::at(
                    &template.source,
                    template.span,
                    "gatekeeper-duplicate",
                    format!(
                        "ConstraintTemplate {} defines kind {}, which {} ({}) already defines",
                        template.name, template.kind, first.template.name, first.template.file
                    ),
                ));
                continue;
            }
            let kind = template.kind.clone();
            match CompiledTemplate::compile(Arc::new(template), deadline) {
                Ok(t) => {
                    by_kind.insert(kind, compiled.len());
                    compiled.push(t);
                }
                Err(e) => {
                    failed.insert(kind);
                    errors.extend(e);
                }
            }
        }
        let mut bound: BTreeMap<(String, String), Bound> = BTreeMap::new();
        for constraint in constraints {
            let key = (constraint.name.clone(), constraint.kind.clone());
            if let Some(first) = bound.get(&key) {
                errors.push(CheckError::at(
                    &constraint.source,
                    constraint.span,
                    "gatekeeper-duplicate",
                    format!(
                        "{} constraint {} is also defined in {}",
                        constraint.kind, constraint.name, first.constraint.file
                    ),
                ));
                continue;
            }
            let Some(&template) = by_kind.get(&constraint.kind) else {
                // A template that failed to compile has already been reported.
                if !failed.contains(&constraint.kind) {
                    errors.push(CheckError::at(
                        &constraint.source,
                        constraint.span,
                        "gatekeeper-missing-template",
                        format!(
                            "constraint {} is of kind {}, but no ConstraintTemplate among the policies defines that kind",
                            constraint.name, constraint.kind
                        ),
                    ));
                }
                continue;
            };
            if let Some(schema) = &compiled[template].template.schema {
                if let Err(problems) = schema::validate(schema, &constraint.parameters) {
                    errors.push(CheckError::at(
                        &constraint.source,
                        constraint.parameters_span,
                        "gatekeeper-invalid-parameters",
                        format!(
                            "constraint {}: spec.parameters do not match the schema of ConstraintTemplate {}: {}",
                            constraint.name,
                            compiled[template].template.name,
                            problems.join("; ")
                        ),
                    ));
                    continue;
                }
            }
            let parameters = match super::to_regorus(&constraint.parameters) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(CheckError::at(
                        &constraint.source,
                        constraint.parameters_span,
                        "gatekeeper-invalid-constraint",
                        format!(
                            "constraint {}: parameters cannot be used: {e}",
                            constraint.name
                        ),
                    ));
                    continue;
                }
            };
            bound.insert(
                key,
                Bound {
                    constraint: Arc::new(constraint),
                    template,
                    parameters,
                },
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(GatekeeperSet {
            templates: compiled,
            constraints: bound.into_values().collect(),
            inventory: None,
            deadline,
        })
    }

    /// Whether the set has no templates (and so no constraints).
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// The templates.
    pub fn templates(&self) -> impl Iterator<Item = &Arc<Template>> {
        self.templates.iter().map(|t| &t.template)
    }

    /// The constraints, with their templates, in name order.
    pub fn constraints(&self) -> impl Iterator<Item = (&Arc<Constraint>, &Arc<Template>)> {
        self.constraints
            .iter()
            .filter_map(|b| Some((&b.constraint, &self.templates.get(b.template)?.template)))
    }

    /// The same set with `data.inventory` (and the Namespaces namespaceSelectors see) from `inventory`.
    pub fn with_inventory(&self, inventory: Inventory) -> Result<Self, String> {
        let value = super::to_regorus(&inventory.to_value())
            .map_err(|e| format!("the inventory cannot be used: {e}"))?;
        let templates = self
            .templates
            .iter()
            .map(|t| t.with_inventory(&value))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(GatekeeperSet {
            templates,
            constraints: self.constraints.clone(),
            inventory: Some(Arc::new(inventory)),
            deadline: self.deadline,
        })
    }

    /// Reviews one object or request with every constraint enforced at
    /// `point` (every constraint with `None`) whose `match` selects it.
    pub fn review(&self, review: &Review, point: Option<EnforcementPoint>) -> Outcome {
        let mut out = Outcome::default();
        if self.constraints.is_empty() {
            return out;
        }
        let started = Instant::now();
        let namespace = (!review.namespace.is_empty())
            .then(|| self.inventory.as_ref()?.namespace(&review.namespace))
            .flatten();
        let mut request: Option<regorus::Value> = None;
        for bound in &self.constraints {
            let constraint = &bound.constraint;
            let action = match point {
                Some(p) => match constraint.enforcement.at(p) {
                    Some(a) => a,
                    None => continue,
                },
                None => constraint
                    .enforcement
                    .at(EnforcementPoint::Gator)
                    .unwrap_or(Action::Deny),
            };
            let error = |message: String, timed_out| ReviewError {
                constraint: constraint.name.clone(),
                message,
                timed_out,
                in_template: false,
            };
            let matched = [Some(&review.object), review.old_object.as_ref()]
                .into_iter()
                .flatten()
                .map(|o| constraint.matcher.matches(o, namespace))
                .collect::<Result<Vec<bool>, String>>();
            match matched {
                Ok(m) if m.contains(&true) => {}
                Ok(_) => continue,
                Err(message) => {
                    out.errors.push(error(message, false));
                    continue;
                }
            }
            let Some(template) = self.templates.get(bound.template) else {
                continue;
            };
            let Some(remaining) = self.deadline.checked_sub(started.elapsed()) else {
                out.errors.push(error(
                    format!("not evaluated: the deadline of {:?} passed", self.deadline),
                    true,
                ));
                break;
            };
            let request = match &request {
                Some(r) => r.clone(),
                None => match super::to_regorus(&review.request) {
                    Ok(r) => request.insert(r).clone(),
                    Err(e) => {
                        out.errors
                            .push(error(format!("the object cannot be converted: {e}"), false));
                        break;
                    }
                },
            };
            let mut input = regorus::Value::new_object();
            if let Ok(map) = input.as_object_mut() {
                map.insert(regorus::Value::from("review"), request);
                map.insert(regorus::Value::from("parameters"), bound.parameters.clone());
            }
            match template.violations(input, remaining) {
                Ok(items) => out.violations.extend(items.into_iter().filter_map(|item| {
                    let message = match item.get("msg")? {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Some(Violation {
                        constraint: constraint.clone(),
                        template: template.template.clone(),
                        action,
                        message,
                        details: item
                            .get("details")
                            .cloned()
                            .unwrap_or_else(|| Value::Object(Default::default())),
                    })
                })),
                Err(e) => {
                    let timed_out = e.timed_out;
                    out.errors.push(ReviewError {
                        in_template: !timed_out,
                        ..error(e.message, timed_out)
                    });
                    if timed_out {
                        break;
                    }
                }
            }
        }
        out
    }
}
