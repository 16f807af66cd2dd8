//! `--combine`: the documents of the whole run evaluated together, for rules
//! that compare resources ("every Deployment has a PodDisruptionBudget").
//!
//! The input is an array with one entry per document, shaped as Conftest's
//! `--combine` shapes it (`path` = the file, `contents` = the document) plus
//! the 1-based `document` index within the file. A finding locates itself
//! with a `path` into that array (`[3, "contents", "spec", "selector"]`, or
//! the pointer `/3/contents/spec/selector`): the first step picks the
//! document, the rest is a path inside it, so the finding points at that
//! file and line like any other. A finding without such a path points at the
//! first document of the run.

use serde_json::{json, Value};

use super::evaluate::evaluation_error;
use super::read::LoadedTarget;
use super::{CheckOptions, Report};
use crate::engine::{EvalOptions, PolicySet, Rule};
use crate::finding::Finding;
use crate::input::{Document, PathSegment};
use crate::waiver::Waived;

/// The `format` combined rules are selected under (`custom.targets: [combined]`
/// is not needed: rules without targets take part).
pub const FORMAT: &str = "combined";

/// Evaluates the rules without `custom.targets` once, over every document of the run.
pub(super) fn evaluate_combined(
    loaded: &[LoadedTarget<'_>],
    policy: &PolicySet,
    options: &CheckOptions,
) -> Report {
    let documents: Vec<&Document> = loaded.iter().flat_map(|l| &l.documents).collect();
    let mut report = Report::default();
    let Some(first) = documents.first() else {
        return report;
    };
    let input = Value::Array(
        documents
            .iter()
            .map(|doc| json!({"path": doc.source.name(), "document": doc.index, "contents": doc.value}))
            .collect(),
    );
    let whole_run = |rule: &Rule| rule.meta.targets.is_empty();
    let evaluation = policy.evaluate_with(
        &input,
        FORMAT,
        None,
        &EvalOptions {
            context: None,
            select: Some(&whole_run),
        },
    );
    let excepted = evaluation.excepted.iter().map(|(hit, by)| (hit, Some(by)));
    for (hit, by) in evaluation
        .hits
        .iter()
        .map(|hit| (hit, None))
        .chain(excepted)
    {
        let (doc, inner) = split_path(hit.output.path.as_deref(), &documents);
        let mut hit = hit.clone();
        hit.output.path = inner;
        let mut finding = Finding::new(&hit, doc.unwrap_or(first), options.snippets);
        finding.waiver = by.map(|by| std::sync::Arc::new(Waived::exception(by)));
        report.findings.push(finding);
    }
    report
        .errors
        .extend(evaluation.errors.iter().map(|e| evaluation_error(first, e)));
    report
}

/// Splits a path into the combined input into the document it starts at and
/// the path inside that document's contents.
fn split_path<'d>(
    path: Option<&[PathSegment]>,
    documents: &[&'d Document],
) -> (Option<&'d Document>, Option<Vec<PathSegment>>) {
    let Some((first, rest)) = path.and_then(|p| p.split_first()) else {
        return (None, None);
    };
    let index = match first {
        PathSegment::Index(i) => Some(*i),
        PathSegment::Key(k) => k.parse().ok(),
    };
    let Some(doc) = index.and_then(|i| documents.get(i)) else {
        return (None, None);
    };
    let inner = match rest.split_first() {
        Some((PathSegment::Key(k), inner)) if k == "contents" => Some(inner.to_vec()),
        // A path to the entry itself (or to its `path`) points at the whole document.
        _ => None,
    };
    (Some(*doc), inner)
}
