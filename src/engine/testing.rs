//! Running Rego unit tests: every `test_*` rule is evaluated on its own clone
//! of the warmed engine; defined and not `false` passes.

use std::time::{Duration, Instant};

use super::{one_line, rego_to_json, PolicySet, TestCase};

/// How a test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Defined and not false.
    Pass,
    /// Undefined or false.
    Fail,
    /// Evaluation failed, with the reason.
    Error(String),
}

/// One test's result.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test.
    pub case: TestCase,
    /// Pass, fail or error.
    pub outcome: Outcome,
    /// What the test printed with `print(...)`.
    pub prints: Vec<String>,
    /// Wall time.
    pub duration: Duration,
}

impl PolicySet {
    /// Runs one test case.
    pub fn run_test(&self, case: &TestCase) -> TestResult {
        let mut engine = self.engine();
        let started = Instant::now();
        let query = format!("data.{}.{}", case.package, case.name);
        let outcome = match engine.eval_rule(query) {
            Ok(value) => match rego_to_json(&value) {
                serde_json::Value::Null | serde_json::Value::Bool(false) => Outcome::Fail,
                _ => Outcome::Pass,
            },
            Err(e) => Outcome::Error(one_line(&e.to_string())),
        };
        TestResult {
            case: case.clone(),
            outcome,
            prints: engine.take_prints().unwrap_or_default(),
            duration: started.elapsed(),
        }
    }
}
