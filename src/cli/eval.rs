//! `policy eval`: OPA-style ad-hoc evaluation of a query against the loaded
//! policies (the built-in library by default), data and an input file read
//! the way `policy check` reads it. Prints JSON: `{"result": ...}` for a plain
//! `data.x.y` reference (OPA's REST shape; `{}` when undefined), regorus's
//! query results otherwise.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{json, Value};

use super::{emit, load_policies, print_errors, Status};
use crate::check::{self, CheckOptions, Target};
use crate::engine::CompileOptions;
use crate::finding::CheckError;
use crate::input;

/// Arguments of `policy eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The Rego query (`data.railyard.kubernetes.privileged.deny`, `x := input.kind`, ...).
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// Policy directory or file (repeatable); default: the built-in library.
    #[arg(short = 'p', long = "policy", value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Data file or directory merged into `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Input file, any format `policy check` reads (its first document); `-` reads stdin.
    #[arg(short = 'i', long = "input", value_name = "INPUT")]
    pub input: Option<PathBuf>,
    /// Largest input file read, in bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
}

/// Runs `policy eval`.
pub fn run(args: EvalArgs, color: bool) -> Status {
    let input = match args
        .input
        .as_ref()
        .map(|p| read_input(p, args.max_file_size))
    {
        None => None,
        Some(Ok(value)) => Some(value),
        Some(Err(e)) => {
            print_errors(&[e], color);
            return Status::Error;
        }
    };
    let set = match load_policies(&args.policy, &args.data, &CompileOptions::default()) {
        Ok(set) => set,
        Err(failure) => {
            failure.print(color);
            return Status::Error;
        }
    };
    let mut engine = set.engine();
    if let Some(value) = input {
        match <regorus::Value as serde::Deserialize>::deserialize(&value) {
            Ok(v) => engine.set_input(v),
            Err(e) => {
                let e = CheckError::file("input", "input-unreadable", e.to_string());
                print_errors(&[e], color);
                return Status::Error;
            }
        }
    }
    let results = engine.eval_query(args.query.clone(), false);
    for line in engine.take_prints().unwrap_or_default() {
        eprintln!("{line}");
    }
    let results = match results {
        Ok(results) => results,
        Err(e) => {
            let message = e.to_string();
            let e = CheckError::file("<query>", "evaluation-error", message.trim().to_owned());
            print_errors(&[e], color);
            return Status::Error;
        }
    };
    let doc = if is_plain_ref(&args.query) {
        match results.result.first().and_then(|r| r.expressions.first()) {
            Some(expr) => json!({"result": crate::engine::rego_to_json(&expr.value)}),
            None => json!({}),
        }
    } else {
        serde_json::to_value(&results).unwrap_or(Value::Null)
    };
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    emit(&format!("{text}\n"));
    Status::Clean
}

/// Whether a query is a bare `data.a.b` or `input.a` reference.
fn is_plain_ref(query: &str) -> bool {
    let query = query.trim();
    let mut parts = query.split('.');
    matches!(parts.next(), Some("data" | "input"))
        && parts.all(|p| {
            p.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The first document of a file, as `policy parse` shows it.
fn read_input(path: &Path, max_file_size: u64) -> Result<Value, CheckError> {
    let target = if path.as_os_str() == "-" {
        check::stdin_target()
            .map_err(|e| CheckError::file("<stdin>", "input-unreadable", e.to_string()))?
    } else {
        Target::File(path.to_path_buf())
    };
    let options = CheckOptions {
        max_file_size,
        ..CheckOptions::default()
    };
    let source = check::read_target(&target, &options)?;
    let loaded = input::load(&source, options.limits).map_err(|e| match e.span {
        Some(span) => CheckError::at(&source, span, e.code, e.message),
        None => CheckError::file(source.name(), e.code, e.message),
    })?;
    loaded
        .documents
        .into_iter()
        .next()
        .map(|doc| doc.value)
        .ok_or_else(|| {
            CheckError::file(
                source.name(),
                "input-empty",
                "the input has no document to evaluate".to_owned(),
            )
        })
}
