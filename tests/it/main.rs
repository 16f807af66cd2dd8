//! Integration tests of the `policy` binary, run as a user runs it: exit codes,
//! stdin, the JSON and human reports, where findings point, hostile and broken
//! inputs and policies, the real-world corpus, and `policy test`.
//!
//! Test data lives in `tests/data/` (own policies and inputs; `fixtures/` and
//! `policies/` belong to other suites and change independently). Big inputs are
//! generated in temp dirs, never committed. Snapshots are in `snapshots/`.

mod authoring;
mod bad_input;
mod builtins;
mod check_cli;
mod corpus;
mod engine_split;
mod exit_codes;
mod formats;
mod gatekeeper;
mod governance;
mod human_output;
mod json_output;
mod locations;
mod outputs;
mod policy_test_cmd;
mod support;
mod webhook;
