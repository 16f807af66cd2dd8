//! OPA Gatekeeper compatibility: ConstraintTemplates and Constraints found
//! among the policies are evaluated the way Gatekeeper and `gator` evaluate
//! them (DESIGN section 8).
//!
//! - [`model`] reads templates and constraints from their documents;
//! - [`matching`] is a constraint's `spec.match`;
//! - [`review`] builds `input.review` as `gator` and the webhook do;
//! - [`inventory`] builds `data.inventory`;
//! - [`schema`] checks constraint parameters against the template's schema;
//! - [`compile`] makes one warmed regorus engine per template;
//! - [`set`] holds the compiled set and reviews one object;
//! - [`findings`] turns violations into `policy check` findings;
//! - [`suite`] runs `gator verify` suites.
//!
//! Like the engine, everything here but [`suite`] (which reads the files a
//! suite names) is pure: documents in, violations out.

pub mod compile;
mod deprecated;
pub mod findings;
pub mod inventory;
pub mod matching;
pub mod model;
pub mod review;
pub mod schema;
pub mod set;
pub mod suite;

use std::num::NonZeroU32;
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;

pub use inventory::Inventory;
pub use model::{Action, Constraint, EnforcementPoint, Template};
pub use review::Review;
pub use set::{GatekeeperSet, Outcome, ReviewError, Violation};

use crate::finding::CheckError;
use crate::input::Document;

/// The templates and constraints of a set of documents, read but not compiled.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// ConstraintTemplates.
    pub templates: Vec<Template>,
    /// Constraints.
    pub constraints: Vec<Constraint>,
}

impl Sources {
    /// Whether there are neither templates nor constraints.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty() && self.constraints.is_empty()
    }

    /// Takes in a document if it is a template or a constraint: `false` for
    /// other documents; an error when it is one but cannot be used.
    pub fn add(&mut self, doc: &Document) -> Result<bool, Vec<CheckError>> {
        match model::doc_kind(&doc.value) {
            Some(model::DocKind::Template) => {
                self.templates.push(model::read_template(doc)?);
                Ok(true)
            }
            Some(model::DocKind::Constraint) => {
                self.constraints.push(model::read_constraint(doc)?);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Compiles the templates and binds the constraints.
    pub fn compile(self, deadline: Duration) -> Result<GatekeeperSet, Vec<CheckError>> {
        GatekeeperSet::compile(self.templates, self.constraints, deadline)
    }
}

/// Whether a document is a ConstraintTemplate or a Constraint.
pub fn is_gatekeeper(value: &serde_json::Value) -> bool {
    model::doc_kind(value).is_some()
}

pub(crate) fn timer(limit: Duration) -> ExecutionTimerConfig {
    ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::MIN.saturating_add(63),
    }
}

/// A JSON value as a regorus value, without going through text.
pub(crate) fn to_regorus(value: &serde_json::Value) -> Result<regorus::Value, String> {
    <regorus::Value as serde::Deserialize>::deserialize(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
