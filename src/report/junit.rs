//! The JUnit XML format, for the test-report views of CI systems: one test
//! suite per file, one test case per (document, rule id) that was evaluated.
//! A case passes when the rule found nothing in the document, fails with the
//! findings' messages and locations when it did, and input or evaluation
//! errors are cases in error. Warnings fail their case only with
//! `--fail-on warning`; otherwise the case passes and lists them as output.
//! Input notices (duplicate keys) go to their file's suite output.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use crate::check::Report;
use crate::engine::{Level, Rule};
use crate::finding::{CheckError, Finding};
use crate::input::Resource;
use crate::report::catalog::applicable_ids;
use crate::report::resource_label;

/// The name of the whole report (`<testsuites name=...>`).
pub const REPORT_NAME: &str = "railyard";

/// Renders the report as JUnit XML.
pub fn render(report: &Report, rules: &[Arc<Rule>], warnings_fail: bool) -> String {
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    let mut matched = vec![false; report.findings.len()];
    let mut by_document: HashMap<(&str, usize), Vec<usize>> = HashMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        by_document
            .entry((&f.file, f.document))
            .or_default()
            .push(i);
    }
    for file in &report.documents_by_file {
        let suite = suites
            .entry(file.file.as_str())
            .or_insert_with(|| TestSuite::new(file.file.as_str()));
        let mut per_index: HashMap<usize, usize> = HashMap::new();
        for doc in &file.documents {
            *per_index.entry(doc.index).or_default() += 1;
        }
        for doc in &file.documents {
            // Items of a `kind: List` share their document index: then the
            // resource tells them apart. (Otherwise it must not be compared: a
            // finding in a Terraform plan names the resource at its path.)
            let shared = per_index.get(&doc.index).is_some_and(|n| *n > 1);
            let mine: Vec<usize> = by_document
                .get(&(file.file.as_str(), doc.index))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| {
                    !matched[i] && (!shared || report.findings[i].resource == doc.resource)
                })
                .collect();
            for &i in &mine {
                matched[i] = true;
            }
            let found: Vec<&Finding> = mine.iter().map(|&i| &report.findings[i]).collect();
            let mut ids = applicable_ids(rules, doc.format.as_str(), doc.resource.kind.as_deref());
            ids.extend(found.iter().map(|f| f.rule.clone()));
            let label = document_label(doc.index, &doc.resource);
            for id in ids {
                let hits: Vec<&Finding> = found.iter().copied().filter(|f| f.rule == id).collect();
                suite.add_test_case(rule_case(
                    &file.file,
                    &id,
                    &label,
                    &hits,
                    doc.complete,
                    warnings_fail,
                ));
            }
        }
    }
    // Findings whose document is unknown (none are expected) are still reported.
    let mut leftovers: BTreeMap<(&str, String, &str), Vec<&Finding>> = BTreeMap::new();
    for (f, _) in report.findings.iter().zip(&matched).filter(|(_, m)| !**m) {
        let label = document_label(f.document, &f.resource);
        leftovers
            .entry((f.file.as_str(), label, f.rule.as_str()))
            .or_default()
            .push(f);
    }
    for ((file, label, id), hits) in leftovers {
        suites
            .entry(file)
            .or_insert_with(|| TestSuite::new(file))
            .add_test_case(rule_case(file, id, &label, &hits, true, warnings_fail));
    }
    for e in &report.errors {
        suites
            .entry(e.file.as_str())
            .or_insert_with(|| TestSuite::new(e.file.as_str()))
            .add_test_case(error_case(e));
    }
    // Notices (such as duplicate keys) are no test: they go to the suite's output.
    let mut notices: BTreeMap<&str, String> = BTreeMap::new();
    for n in &report.notices {
        let text = notices.entry(n.file.as_str()).or_default();
        text.push_str(&format!(
            "{}:{}:{}: warning[{}] {}\n",
            n.file, n.line, n.column, n.code, n.message
        ));
    }
    for (file, text) in notices {
        suites
            .entry(file)
            .or_insert_with(|| TestSuite::new(file))
            .set_system_out(text);
    }
    let mut junit = JunitReport::new(REPORT_NAME);
    junit.add_test_suites(suites.into_values());
    // quick-junit writes to memory here; its only failure is invalid UTF-8,
    // which its XmlString already rules out.
    let mut text = junit.to_string().unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// `Deployment prod/web (document 2)`, or `document 2` for a nameless document.
fn document_label(index: usize, r: &Resource) -> String {
    match resource_label(r) {
        Some(label) => format!("{label} (document {index})"),
        None => format!("document {index}"),
    }
}

fn where_and_what(f: &Finding) -> String {
    let mut line = format!(
        "{}:{}:{}: {} [{}] {}",
        f.file,
        f.location.line,
        f.location.column,
        level_name(f.level),
        f.severity.as_str(),
        f.message
    );
    if let Some(path) = &f.path {
        line.push_str(&format!("\n  path: {path}"));
    }
    if let Some(fix) = &f.remediation {
        line.push_str(&format!("\n  remediation: {fix}"));
    }
    line.push('\n');
    line
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Failure => "failure",
        Level::Warning => "warning",
    }
}

/// Whether a finding makes its test case fail: waived findings never do.
fn fails(f: &Finding, warnings_fail: bool) -> bool {
    f.counts() && (f.level == Level::Failure || warnings_fail)
}

fn rule_case(
    file: &str,
    id: &str,
    label: &str,
    hits: &[&Finding],
    complete: bool,
    warnings_fail: bool,
) -> TestCase {
    let failing: Vec<&Finding> = hits
        .iter()
        .copied()
        .filter(|f| fails(f, warnings_fail))
        .collect();
    let passing: Vec<&Finding> = hits
        .iter()
        .copied()
        .filter(|f| !fails(f, warnings_fail))
        .collect();
    let status = match failing.first() {
        Some(first) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let message = match failing.len() {
                1 => first.message.clone(),
                n => format!("{} (and {} more)", first.message, n - 1),
            };
            let kinds: BTreeSet<&str> = failing.iter().map(|f| level_name(f.level)).collect();
            status
                .set_message(message)
                .set_type(kinds.into_iter().collect::<Vec<_>>().join(","))
                .set_description(
                    failing
                        .iter()
                        .map(|f| where_and_what(f))
                        .collect::<String>(),
                );
            status
        }
        None if hits.is_empty() && !complete => {
            let mut status = TestCaseStatus::skipped();
            status.set_message("not evaluated completely: see the evaluation error of this file");
            status
        }
        None => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(format!("{id}: {label}"), status);
    case.set_classname(file);
    case.extra.insert("file".into(), file.into());
    if !passing.is_empty() {
        case.set_system_out(
            passing
                .iter()
                .map(|f| where_and_what(f))
                .collect::<String>(),
        );
    }
    case
}

fn error_case(e: &CheckError) -> TestCase {
    let at = match (e.line, e.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", e.file),
        (Some(line), None) => format!("{}:{line}", e.file),
        _ => e.file.clone(),
    };
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(e.message.clone())
        .set_type(e.code)
        .set_description(format!("{at}: {}: {}\n", e.code, e.message));
    let mut case = TestCase::new(format!("{}: {at}", e.code), status);
    case.set_classname(e.file.as_str());
    case.extra.insert("file".into(), e.file.as_str().into());
    case
}
