//! Phase two of a run: evaluate each document of a file on its own and turn
//! the rule outputs into findings.

use std::sync::Arc;

use super::read::{plan_sources, LoadedTarget};
use super::{CheckOptions, DocumentSummary, FileSummary, Report};
use crate::engine::{EvalError, EvalOptions, PolicySet, Rule};
use crate::finding::{CheckError, Finding, SourceRef};
use crate::input::terraform::SourceIndex;
use crate::input::{Document, Format};
use crate::waiver::Waived;

/// Evaluates every document of one loaded file.
pub(super) fn evaluate_target(
    loaded: &LoadedTarget<'_>,
    policy: &PolicySet,
    options: &CheckOptions,
) -> Report {
    let mut report = Report {
        files: 1,
        errors: loaded.errors.clone(),
        notices: loaded.notices.clone(),
        ..Report::default()
    };
    let mut summary = FileSummary {
        file: loaded.name.clone(),
        documents: Vec::new(),
    };
    // With --combine, rules without `custom.targets` see the whole run instead
    // (see combine.rs); rules that target a kind or format still see one document.
    let per_document = |rule: &Rule| !rule.meta.targets.is_empty();
    let eval_options = EvalOptions {
        context: None,
        select: options
            .combine
            .then_some(&per_document as &(dyn Fn(&Rule) -> bool + Sync)),
    };
    let mut tf_sources: Option<Option<SourceIndex>> = None;
    for doc in &loaded.documents {
        report.documents += 1;
        let kind = doc.value.get("kind").and_then(|k| k.as_str());
        let evaluation = policy.evaluate_with(&doc.value, doc.format.as_str(), kind, &eval_options);
        summary.documents.push(DocumentSummary {
            index: doc.index,
            format: doc.format,
            resource: doc.resource(),
            complete: evaluation.errors.is_empty(),
        });
        let tf_index = (doc.format == Format::TerraformPlan)
            .then(|| tf_sources.get_or_insert_with(|| plan_sources(loaded.target, options)))
            .and_then(|index| index.as_ref());
        report.findings.extend(evaluation.hits.iter().map(|hit| {
            let mut finding = Finding::new(hit, doc, options.snippets);
            if let Some(index) = tf_index {
                finding.source = index
                    .locate(&doc.value, hit.output.path.as_deref().unwrap_or(&[]))
                    .map(|at| SourceRef::new(&at.source, at.span));
            }
            finding
        }));
        report
            .findings
            .extend(evaluation.excepted.iter().map(|(hit, by)| {
                let mut finding = Finding::new(hit, doc, options.snippets);
                finding.waiver = Some(Arc::new(Waived::exception(by)));
                finding
            }));
        report
            .errors
            .extend(evaluation.errors.iter().map(|e| evaluation_error(doc, e)));
    }
    report.documents_by_file.push(summary);
    report
}

/// An evaluation error, reported at the start of the document it cut short.
pub(super) fn evaluation_error(doc: &Document, e: &EvalError) -> CheckError {
    let code = if e.timed_out {
        "evaluation-timeout"
    } else {
        "evaluation-error"
    };
    let mut err = CheckError::at(&doc.source, doc.span, code, e.to_string());
    err.snippet = None;
    err
}
