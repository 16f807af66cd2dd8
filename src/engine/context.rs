//! `data.railyard.context`: what a front end knows about an evaluation beyond
//! the document itself (at admission: the operation, the user, the old object,
//! dry-run). The native `input` stays the document, so a policy that ignores
//! the context gives the same answer in CI and in the cluster.
//!
//! How it gets there without slowing every evaluation down: regorus marks an
//! engine "unprepared" whenever data changes (`add_data`), and preparing the
//! built-in library again costs about twice a whole evaluation. A `with`
//! modifier on every rule query costs as much (queries are parsed and
//! scheduled each time). So the context is instead a rule of a small built-in
//! module, `context := __railyard_context(0)`, whose value comes from an
//! extension function that reads a thread-local set for the duration of one
//! evaluation. The engine stays prepared; a policy that never reads the
//! context pays nothing (the front end's [`Context`] is not even built); one
//! that does pays one build and conversion per evaluation.
//! Without a context (CI today), the rule is undefined.

use std::cell::RefCell;
use std::sync::Arc;

use serde_json::Value;

/// Name the context module is compiled under (kept out of reports and checks).
pub(crate) const MODULE_PATH: &str = "builtin:railyard/context.rego";

/// The module that defines `data.railyard.context`.
const MODULE: &str = "package railyard\n\n# Set by the front end for one evaluation (see src/engine/context.rs); undefined otherwise.\ncontext := __railyard_context(0)\n";

/// The extension function the module calls.
const EXTENSION: &str = "__railyard_context";

/// The value of `data.railyard.context` for one evaluation, built the first
/// time a policy reads it (at admission it holds the old object, which most
/// evaluations never look at).
#[derive(Clone)]
pub struct Context(Arc<dyn Fn() -> Value + Send + Sync>);

impl Context {
    /// A context that `build` makes when a policy first reads it.
    pub fn lazy(build: impl Fn() -> Value + Send + Sync + 'static) -> Context {
        Context(Arc::new(build))
    }

    /// A context already built.
    pub fn value(value: Value) -> Context {
        Context::lazy(move || value.clone())
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Context(..)")
    }
}

struct Current {
    source: Context,
    converted: Option<regorus::Value>,
}

thread_local! {
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

/// Adds the context module and its extension to an engine being compiled.
pub(crate) fn register(engine: &mut regorus::Engine) -> anyhow::Result<()> {
    engine.set_rego_v0(false);
    engine.add_policy(MODULE_PATH.to_owned(), MODULE.to_owned())?;
    engine.add_extension(
        EXTENSION.to_owned(),
        1,
        Box::new(|_args: Vec<regorus::Value>| Ok(current())),
    )
}

/// The context of the evaluation running on this thread, converted once.
fn current() -> regorus::Value {
    CURRENT.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(current) = slot.as_mut() else {
            return regorus::Value::Undefined;
        };
        current
            .converted
            .get_or_insert_with(|| {
                <regorus::Value as serde::Deserialize>::deserialize(&(current.source.0)())
                    .unwrap_or(regorus::Value::Undefined)
            })
            .clone()
    })
}

/// Makes `context` the value of `data.railyard.context` on this thread until
/// the guard is dropped (the previous value, if any, is restored).
pub(crate) struct Guard {
    previous: Option<Current>,
}

impl Guard {
    pub(crate) fn set(context: Option<Context>) -> Guard {
        let next = context.map(|source| Current {
            source,
            converted: None,
        });
        let previous = CURRENT.with(|cell| cell.replace(next));
        Guard { previous }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|cell| {
            cell.replace(previous);
        });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Context;
    use crate::engine::{CompileOptions, EvalOptions, PolicySet, PolicySource};

    #[test]
    fn the_context_is_defined_only_during_an_evaluation_that_has_one() {
        let policy = PolicySet::compile(
            &[PolicySource {
                path: "p.rego".into(),
                text: "package p\n\ndeny contains msg if {\n  msg := sprintf(\"%s %s\", [data.railyard.context.operation, input.kind])\n}\n".into(),
            }],
            &[],
            &CompileOptions::default(),
        )
        .expect("compiles: the extension is known");
        let input = json!({"kind": "Pod"});
        assert!(policy.evaluate(&input, "yaml", None).hits.is_empty());
        let options = EvalOptions {
            context: Some(Context::value(json!({"operation": "DELETE"}))),
            select: None,
        };
        let eval = policy.evaluate_with(&input, "yaml", None, &options);
        assert!(eval.errors.is_empty(), "{:?}", eval.errors);
        assert_eq!(eval.hits[0].output.message, "DELETE Pod");
        // Nothing leaks into the next evaluation on the same thread.
        assert!(policy.evaluate(&input, "yaml", None).hits.is_empty());
    }
}
