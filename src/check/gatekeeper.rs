//! The Gatekeeper pass of a run (see [`crate::gatekeeper`]): after every file
//! is read, because `data.inventory` and the Namespaces that namespaceSelectors
//! need come from all the Kubernetes documents of the run, as with `gator test`.

use rayon::prelude::*;

use super::evaluate::evaluation_error;
use super::read::LoadedTarget;
use super::{CheckOptions, Report};
use crate::engine::EvalError;
use crate::finding::CheckError;
use crate::gatekeeper::{findings, GatekeeperSet, Inventory};
use crate::input::{Document, Format};

/// Reviews every Kubernetes document of the run with the constraints.
pub(super) fn evaluate_run(
    set: &GatekeeperSet,
    loaded: &[LoadedTarget<'_>],
    options: &CheckOptions,
) -> Report {
    let documents: Vec<&Document> = loaded
        .iter()
        .flat_map(|file| &file.documents)
        .filter(|doc| doc.format == Format::Kubernetes)
        .collect();
    if set.is_empty() || documents.is_empty() {
        return Report::default();
    }
    let set = match set.with_inventory(Inventory::of(documents.iter().map(|d| &d.value))) {
        Ok(set) => set,
        Err(message) => {
            return Report {
                errors: vec![CheckError::file(
                    "data.inventory",
                    "gatekeeper-inventory",
                    message,
                )],
                ..Report::default()
            }
        }
    };
    let parts: Vec<Report> = documents
        .par_iter()
        .map(|doc| {
            let (findings, errors) = findings::check(&set, doc, options.snippets);
            let errors = errors.into_iter().map(|e| {
                let as_eval = EvalError {
                    query: format!("constraint {}", e.constraint),
                    message: e.message,
                    timed_out: e.timed_out,
                    policy_location: None,
                };
                evaluation_error(doc, &as_eval)
            });
            Report {
                findings,
                errors: errors.collect(),
                ..Report::default()
            }
        })
        .collect();
    let mut report = Report::default();
    for part in parts {
        report.merge(part);
    }
    report
}
