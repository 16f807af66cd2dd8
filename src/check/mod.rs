//! The `policy check` pipeline: read each input file into documents and
//! evaluate them on clones of the compiled policy set, files in parallel, and
//! gather findings and errors into one sorted report. One bad file never stops
//! the others. Passes over the whole run (`--combine`, Gatekeeper's inventory)
//! need every document at once: then all files are read first, and kept.

mod combine;
mod evaluate;
mod gatekeeper;
mod read;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::engine::PolicySet;
use crate::finding::{CheckError, Finding, InputNotice};
use crate::gatekeeper::GatekeeperSet;
use crate::input::{Format, Limits, Resource};

pub use combine::FORMAT as COMBINED_FORMAT;
pub use read::{discover, load_target, read_target, stdin_target, LoadedTarget};

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file on disk.
    File(PathBuf),
    /// Text already read (stdin), with the name to report it under.
    Text {
        /// Display name.
        name: String,
        /// Raw bytes.
        bytes: Vec<u8>,
    },
}

/// Settings for a check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Parser limits.
    pub limits: Limits,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Keep source lines with each finding for code frames (costs memory per finding).
    pub snippets: bool,
    /// The `.tf` sources of the Terraform plans checked (`--tf-source`); without
    /// it, `.tf` files in a plan's own directory are used when there are any.
    pub tf_source: Option<PathBuf>,
    /// `--combine`: rules without `custom.targets` see every document of the run at once.
    pub combine: bool,
    /// Gatekeeper constraints found among the policies, run over the Kubernetes documents.
    pub gatekeeper: Option<Arc<GatekeeperSet>>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            max_file_size: 256 * 1024 * 1024,
            snippets: true,
            tf_source: None,
            combine: false,
            gatekeeper: None,
        }
    }
}

/// Everything a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Files read (or attempted).
    pub files: usize,
    /// Documents evaluated.
    pub documents: usize,
    /// Findings, sorted by file, line, column and rule.
    pub findings: Vec<Finding>,
    /// Inputs that could not be checked completely, sorted.
    pub errors: Vec<CheckError>,
    /// Warnings about inputs.
    pub notices: Vec<InputNotice>,
    /// Every file read (or attempted) with the documents it held, sorted by
    /// file: what reports that also list passing checks (JUnit) need.
    pub documents_by_file: Vec<FileSummary>,
}

/// A file of the run and the documents evaluated in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// The file, named as in findings.
    pub file: String,
    /// Its documents, in file order (`kind: List` items expanded).
    pub documents: Vec<DocumentSummary>,
}

/// One evaluated document: enough to tell which rules applied to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    /// 1-based index in the file, as in findings.
    pub index: usize,
    /// The document's format.
    pub format: Format,
    /// Its resource identity (its `kind` selects rules by `custom.targets`).
    pub resource: Resource,
    /// False when an evaluation error or timeout cut its evaluation short.
    pub complete: bool,
}

/// Checks every target against the policy set, in parallel.
pub fn run(targets: &[Target], policy: &PolicySet, options: &CheckOptions) -> Report {
    run_with_progress(targets, policy, options, &|| {})
}

/// [`run`], calling `file_done` after each target (from worker threads), for progress bars.
pub fn run_with_progress(
    targets: &[Target],
    policy: &PolicySet,
    options: &CheckOptions,
    file_done: &(dyn Fn() + Sync),
) -> Report {
    // Keeping every document until the end costs memory in proportion to the
    // run; only the passes over the whole run need it.
    let whole_run = options.combine || options.gatekeeper.as_ref().is_some_and(|g| !g.is_empty());
    if !whole_run {
        let parts: Vec<Report> = targets
            .par_iter()
            .map(|target| {
                let part =
                    evaluate::evaluate_target(&load_target(target, options), policy, options);
                file_done();
                part
            })
            .collect();
        return Report::gather(parts);
    }
    let loaded: Vec<LoadedTarget<'_>> = targets
        .par_iter()
        .map(|target| load_target(target, options))
        .collect();
    let mut parts: Vec<Report> = loaded
        .par_iter()
        .map(|file| {
            let part = evaluate::evaluate_target(file, policy, options);
            file_done();
            part
        })
        .collect();
    if options.combine {
        parts.push(combine::evaluate_combined(&loaded, policy, options));
    }
    if let Some(set) = &options.gatekeeper {
        parts.push(gatekeeper::evaluate_run(set, &loaded, options));
    }
    Report::gather(parts)
}

impl Report {
    /// One sorted report from the parts of a run.
    fn gather(parts: Vec<Report>) -> Report {
        let mut report = Report::default();
        for part in parts {
            report.merge(part);
        }
        report.sort();
        report
    }
}

/// How many findings of each kind a report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Failures not waived.
    pub failures: usize,
    /// Warnings not waived.
    pub warnings: usize,
    /// Findings a waiver accepts.
    pub waived: usize,
}

impl Report {
    /// Counts the findings: waived ones apart, since they do not fail the run.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for f in &self.findings {
            match (f.waiver.is_some(), f.level) {
                (true, _) => tally.waived += 1,
                (false, crate::engine::Level::Failure) => tally.failures += 1,
                (false, crate::engine::Level::Warning) => tally.warnings += 1,
            }
        }
        tally
    }

    fn merge(&mut self, part: Report) {
        self.files += part.files;
        self.documents += part.documents;
        self.findings.extend(part.findings);
        self.errors.extend(part.errors);
        self.notices.extend(part.notices);
        self.documents_by_file.extend(part.documents_by_file);
    }

    fn sort(&mut self) {
        self.documents_by_file.sort_by(|a, b| a.file.cmp(&b.file));
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
}
