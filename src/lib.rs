//! Railyard: one policy engine (Rego, through regorus) over Kubernetes
//! manifests and other configuration, with the CLI `policy` and an admission
//! webhook as thin front ends.
//!
//! Dependencies point inward: `source <- input <- engine <- finding <- report/cli`.
#![deny(missing_docs)]

pub mod builtin;
pub mod check;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod gatekeeper;
pub mod glob;
pub mod input;
pub mod policy_dir;
pub mod report;
#[cfg(feature = "server")]
pub mod server;
pub mod source;
pub mod waiver;
