//! Running Rego unit tests: every `test_*` rule is evaluated on its own clone
//! of the warmed engine; defined and not `false` passes. With coverage, each
//! clone records the lines it evaluated (regorus keeps coverage per engine),
//! and the per-test reports are merged into one per policy file.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use super::{is_test_file, one_line, rego_to_json, PolicySet, TestCase};

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

/// Line coverage of one policy file (1-based line numbers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCoverage {
    /// The policy file.
    pub file: String,
    /// Lines some test evaluated.
    pub covered: BTreeSet<u32>,
    /// Lines with code that no test evaluated.
    pub not_covered: BTreeSet<u32>,
}

impl FileCoverage {
    /// Covered lines in percent (100 for a file with no code lines).
    pub fn percent(&self) -> f64 {
        percent(self.covered.len(), self.not_covered.len())
    }
}

/// `covered` out of `covered + not_covered`, in percent (100 when both are 0).
pub fn percent(covered: usize, not_covered: usize) -> f64 {
    let all = covered + not_covered;
    if all == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / all as f64
    }
}

/// One test's coverage, to be merged with [`PolicySet::merge_coverage`].
#[derive(Debug, Default)]
pub struct TestCoverage {
    files: Vec<FileCoverage>,
}

impl PolicySet {
    /// Runs one test case.
    pub fn run_test(&self, case: &TestCase) -> TestResult {
        self.run_test_on(self.engine(), case).0
    }

    /// Runs one test case recording which policy lines it evaluated.
    pub fn run_test_with_coverage(&self, case: &TestCase) -> (TestResult, TestCoverage) {
        let mut engine = self.engine();
        engine.set_enable_coverage(true);
        let (result, engine) = self.run_test_on(engine, case);
        let files = engine
            .get_coverage_report()
            .map(|report| {
                report
                    .files
                    .into_iter()
                    .map(|f| FileCoverage {
                        file: f.path,
                        covered: f.covered,
                        not_covered: f.not_covered,
                    })
                    .collect()
            })
            .unwrap_or_default();
        (result, TestCoverage { files })
    }

    /// Merges the coverage of every test into one entry per policy file of the
    /// set, sorted by file. Test files and generated modules (`<railyard:...>`)
    /// are left out. A file that no test reached is absent from regorus's
    /// reports: every line of it that holds code counts as not covered.
    pub fn merge_coverage(&self, tests: Vec<TestCoverage>) -> Vec<FileCoverage> {
        let mut merged: BTreeMap<String, FileCoverage> = BTreeMap::new();
        for file in tests.into_iter().flat_map(|t| t.files) {
            let entry = merged.entry(file.file.clone()).or_default();
            entry.file = file.file;
            entry.covered.extend(file.covered);
            entry.not_covered.extend(file.not_covered);
        }
        for source in self.sources() {
            merged
                .entry(source.name().to_owned())
                .or_insert_with(|| FileCoverage {
                    file: source.name().to_owned(),
                    covered: BTreeSet::new(),
                    not_covered: code_lines(source.text()),
                });
        }
        merged
            .into_values()
            .filter(|f| !f.file.starts_with("<railyard:") && !is_test_file(&f.file))
            .map(|mut f| {
                let covered = f.covered.clone();
                f.not_covered.retain(|line| !covered.contains(line));
                f
            })
            .collect()
    }

    fn run_test_on(
        &self,
        mut engine: regorus::Engine,
        case: &TestCase,
    ) -> (TestResult, regorus::Engine) {
        let started = Instant::now();
        let query = format!("data.{}.{}", case.package, case.name);
        let outcome = match engine.eval_rule(query) {
            Ok(value) => match rego_to_json(&value) {
                serde_json::Value::Null | serde_json::Value::Bool(false) => Outcome::Fail,
                _ => Outcome::Pass,
            },
            Err(e) => Outcome::Error(one_line(&e.to_string())),
        };
        let result = TestResult {
            case: case.clone(),
            outcome,
            prints: engine.take_prints().unwrap_or_default(),
            duration: started.elapsed(),
        };
        (result, engine)
    }
}

/// Lines of a policy that hold code: not blank, not comments, not `package` or `import`.
fn code_lines(text: &str) -> BTreeSet<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            !(line.is_empty()
                || line.starts_with('#')
                || line.starts_with("package ")
                || line.starts_with("import "))
        })
        .filter_map(|(i, _)| u32::try_from(i + 1).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CompileOptions, PolicySource};

    #[test]
    fn coverage_merges_tests_and_counts_unreached_files() {
        let source = |path: &str, text: &str| PolicySource {
            path: path.into(),
            text: text.into(),
        };
        let set = PolicySet::compile(
            &[
                source(
                    "a.rego",
                    "package a\n\nx := 1 if {\n\tinput.a\n}\n\ny := 2 if {\n\tinput.b\n}\n",
                ),
                source(
                    "b.rego",
                    "package b\n\n# a comment\nz := 3 if {\n\tinput.c\n}\n",
                ),
                source(
                    "a_test.rego",
                    "package a_test\n\ntest_x if data.a.x == 1 with input as {\"a\": true}\n",
                ),
            ],
            &[],
            &CompileOptions {
                include_tests: true,
                ..CompileOptions::default()
            },
        )
        .expect("compiles");
        let (results, coverage): (Vec<_>, Vec<_>) = set
            .tests()
            .iter()
            .map(|t| set.run_test_with_coverage(t))
            .unzip();
        assert!(results.iter().all(|r| r.outcome == Outcome::Pass));
        let files = set.merge_coverage(coverage);
        let names: Vec<_> = files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(names, ["a.rego", "b.rego"]);
        assert!(files[0].covered.contains(&4), "{files:?}");
        assert!(files[0].not_covered.contains(&7), "{files:?}");
        assert!(!files[0].not_covered.contains(&4), "{files:?}");
        // b.rego was never reached: its code lines, not its comment, are uncovered.
        assert_eq!(files[1].not_covered, BTreeSet::from([4, 5, 6]));
        assert!(files[1].covered.is_empty());
    }
}
