//! Evaluating one input: the document's rule group in one `eval_rule`, or rule
//! by rule when the group fails (so the error names the rule) or a front end
//! selects rules; one deadline for the whole document.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use regorus::utils::limits::ExecutionTimerConfig;
use serde_json::Value;

use super::{
    batch, context, error_text, locate_message, rego_to_json, result, EvalError, EvalOptions,
    Evaluation, ExceptionRule, Hit, PolicySet, Rule,
};

impl PolicySet {
    /// Evaluates every applicable rule against one input. `format` and `kind`
    /// select rules by their `custom.targets`.
    pub fn evaluate(&self, input: &Value, format: &str, kind: Option<&str>) -> Evaluation {
        self.evaluate_with(input, format, kind, &EvalOptions::default())
    }

    /// [`PolicySet::evaluate`] with a `data.railyard.context` and a rule selection.
    pub fn evaluate_with(
        &self,
        input: &Value,
        format: &str,
        kind: Option<&str>,
        options: &EvalOptions<'_>,
    ) -> Evaluation {
        let _context = context::Guard::set(options.context.clone());
        // Deserializing from the borrowed JSON value avoids cloning it first.
        let input = match <regorus::Value as serde::Deserialize>::deserialize(input) {
            Ok(v) => v,
            Err(e) => {
                return Evaluation {
                    errors: vec![EvalError {
                        query: "input".into(),
                        message: format!("input cannot be converted: {e}"),
                        timed_out: false,
                        policy_location: None,
                    }],
                    ..Evaluation::default()
                }
            }
        };
        let started = Instant::now();
        let select = options.select;
        let group = self.groups.for_document(format, kind).filter(|g| {
            // A selection that leaves out rules of the group: evaluate one by one.
            select.is_none_or(|s| {
                g.rules
                    .iter()
                    .all(|i| self.rules.get(*i).is_none_or(|r| s(r)))
            })
        });
        // An interpreter engine, made only when needed (the VM needs none).
        // The group's own engine holds fewer modules, and regorus walks all of
        // an engine's modules on many lookups: much faster when it exists.
        let fresh = || {
            let base = group
                .and_then(|g| self.split.as_ref()?.engine(g.id))
                .unwrap_or(&self.template);
            let mut engine = base.clone();
            // A regorus value shares its contents: this clone is cheap.
            engine.set_input(input.clone());
            engine
        };
        let mut engine = None;
        // The group in one evaluation: on its VM program when it has one.
        let outcome = group.map(|group| {
            let result = match self.split.as_ref().and_then(|s| s.program(group.id)) {
                Some(program) => program.run(input.clone(), self.deadline),
                None => {
                    let first = engine.insert(fresh());
                    first.set_execution_timer_config(timer(self.deadline));
                    first.eval_rule(group.query.clone())
                }
            };
            (group, result.map_err(|e| e.to_string()))
        });
        let mut out = match outcome {
            Some((group, Ok(value))) => self.read_group(group, &value),
            Some((group, Err(e))) if is_timeout(&e) => {
                return Evaluation {
                    errors: vec![deadline_error(&group.query, self.deadline)],
                    ..Evaluation::default()
                };
            }
            // No group, or some rule failed: evaluate one by one, on an engine
            // the failure did not touch, to say which rule and where, and keep
            // the others' results.
            None | Some((_, Err(_))) => {
                let engine = engine.insert(fresh());
                self.evaluate_each(engine, format, kind, started, select)
            }
        };
        if !self.exceptions.is_empty() && !out.hits.is_empty() {
            let engine = engine.get_or_insert_with(fresh);
            self.apply_exceptions(engine, &mut out);
        }
        out
    }

    fn read_group(&self, group: &batch::Group, value: &regorus::Value) -> Evaluation {
        let mut out = Evaluation::default();
        for index in &group.rules {
            let Some(rule) = self.rules.get(*index) else {
                continue;
            };
            let value = &value[format!("r{index}").as_str()];
            let json = rego_to_json(value);
            out.hits
                .extend(result::read(&json).into_iter().map(|output| Hit {
                    rule: rule.clone(),
                    output,
                }));
        }
        out
    }

    /// Moves the hits an `exception` rule of their package names to
    /// `excepted`. The exception rules run only for packages with hits.
    fn apply_exceptions(&self, engine: &mut regorus::Engine, out: &mut Evaluation) {
        if self.exceptions.is_empty() || out.hits.is_empty() {
            return;
        }
        let mut names: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for hit in &out.hits {
            let package = hit.rule.package.as_str();
            if names.contains_key(package) {
                continue;
            }
            let Some(exception) = self.exceptions.get(package) else {
                continue;
            };
            let listed = match engine.eval_rule(exception.query.clone()) {
                Ok(value) => excepted_names(&rego_to_json(&value)),
                Err(e) => {
                    out.errors.push(EvalError {
                        query: exception.query.clone(),
                        message: error_text(&e.to_string()),
                        timed_out: is_timeout(&e.to_string()),
                        policy_location: locate_message(&e.to_string()),
                    });
                    Vec::new()
                }
            };
            names.insert(exception.package.as_str(), listed);
        }
        let (kept, excepted): (Vec<Hit>, Vec<Hit>) =
            std::mem::take(&mut out.hits).into_iter().partition(|hit| {
                names
                    .get(hit.rule.package.as_str())
                    .is_none_or(|listed| !listed.iter().any(|n| ExceptionRule::names(n, &hit.rule)))
            });
        out.hits = kept;
        out.excepted = excepted
            .into_iter()
            .filter_map(|hit| {
                let by = self.exceptions.get(&hit.rule.package)?.clone();
                Some((hit, by))
            })
            .collect();
    }

    /// Evaluates applicable rules one at a time (precise errors, no shared cache).
    fn evaluate_each(
        &self,
        engine: &mut regorus::Engine,
        format: &str,
        kind: Option<&str>,
        started: Instant,
        select: Option<&(dyn Fn(&Rule) -> bool + Sync)>,
    ) -> Evaluation {
        let mut out = Evaluation::default();
        for rule in &self.rules {
            if !rule.applies_to(format, kind) || select.is_some_and(|s| !s(rule)) {
                continue;
            }
            let Some(remaining) = self.deadline.checked_sub(started.elapsed()) else {
                out.errors.push(deadline_error(&rule.query, self.deadline));
                break;
            };
            engine.set_execution_timer_config(timer(remaining));
            match engine.eval_rule(rule.query.clone()) {
                Ok(value) => {
                    let json = rego_to_json(&value);
                    out.hits
                        .extend(result::read(&json).into_iter().map(|output| Hit {
                            rule: rule.clone(),
                            output,
                        }));
                }
                Err(e) => {
                    let message = e.to_string();
                    if is_timeout(&message) {
                        out.errors.push(deadline_error(&rule.query, self.deadline));
                        break;
                    }
                    out.errors.push(EvalError {
                        query: rule.query.clone(),
                        message: error_text(&message),
                        timed_out: false,
                        policy_location: locate_message(&message),
                    });
                }
            }
        }
        out
    }
}

/// The rule names an exception value lists: a set of arrays of names (or of names).
fn excepted_names(value: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut push = |v: &Value| {
        if let Some(s) = v.as_str() {
            names.push(s.to_owned());
        }
    };
    match value {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Array(inner) => inner.iter().for_each(&mut push),
                    other => push(other),
                }
            }
        }
        other => push(other),
    }
    names
}

pub(super) fn timer(limit: Duration) -> ExecutionTimerConfig {
    ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::new(64).expect("64 is not zero"),
    }
}

fn deadline_error(query: &str, deadline: Duration) -> EvalError {
    EvalError {
        query: query.to_owned(),
        message: format!(
            "evaluation did not finish within the deadline of {:?}; the policy may loop or do too much work",
            deadline
        ),
        timed_out: true,
        policy_location: None,
    }
}

fn is_timeout(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("time limit") || m.contains("timed out") || m.contains("execution time")
}
