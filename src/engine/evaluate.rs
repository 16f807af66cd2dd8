//! Evaluating one input: the document's rule group in one `eval_rule`, or rule
//! by rule when the group fails (so the error names the rule) or a front end
//! selects rules; one deadline for the whole document.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use regorus::utils::limits::ExecutionTimerConfig;
use serde_json::Value;

use super::{
    context, error_text, locate_message, rego_to_json, result, EvalError, EvalOptions, Evaluation,
    Hit, PolicySet, Rule,
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
        let mut engine = self.template.clone();
        // Deserializing from the borrowed JSON value avoids cloning it first.
        let input = match <regorus::Value as serde::Deserialize>::deserialize(input) {
            Ok(v) => v,
            Err(e) => {
                return Evaluation {
                    hits: Vec::new(),
                    errors: vec![EvalError {
                        query: "input".into(),
                        message: format!("input cannot be converted: {e}"),
                        timed_out: false,
                        policy_location: None,
                    }],
                }
            }
        };
        engine.set_input(input);
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
        let Some(group) = group else {
            return self.evaluate_each(engine, format, kind, started, select);
        };
        let fallback = engine.clone();
        engine.set_execution_timer_config(timer(self.deadline));
        let value = match engine.eval_rule(group.query.clone()) {
            Ok(results) => results,
            Err(e) if is_timeout(&e.to_string()) => {
                return Evaluation {
                    hits: Vec::new(),
                    errors: vec![deadline_error(&group.query, self.deadline)],
                };
            }
            // Some rule failed: evaluate one by one to say which, and keep the others' results.
            Err(_) => return self.evaluate_each(fallback, format, kind, started, select),
        };
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

    /// Evaluates applicable rules one at a time (precise errors, no shared cache).
    fn evaluate_each(
        &self,
        mut engine: regorus::Engine,
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
