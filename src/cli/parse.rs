//! `policy parse`: prints the documents of a file exactly as policies see
//! them (`input`), with the format each was detected as, so that a policy
//! author can see the shape to write rules against.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Value};

use super::{emit, print_errors, Status};
use crate::check::{self, CheckOptions, Target};
use crate::finding::{location, CheckError};
use crate::input;

/// Arguments of `policy parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The file to read; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Largest input file read, in bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
}

/// Runs `policy parse`: JSON on stdout, `{"file", "documents": [{"index",
/// "format", "input"}], "notices"}`; an unreadable or unparsable file is an
/// error on stderr with exit code 2.
pub fn run(args: ParseArgs, color: bool) -> Status {
    let target = if args.file.as_os_str() == "-" {
        match super::stdin_or_report(color) {
            Ok(t) => t,
            Err(status) => return status,
        }
    } else {
        Target::File(args.file)
    };
    let options = CheckOptions {
        max_file_size: args.max_file_size,
        ..CheckOptions::default()
    };
    let source = match check::read_target(&target, &options) {
        Ok(s) => s,
        Err(e) => {
            print_errors(&[e], color);
            return Status::Error;
        }
    };
    let loaded = match input::load(&source, options.limits) {
        Ok(l) => l,
        Err(e) => {
            let error = match e.span {
                Some(span) => CheckError::at(&source, span, e.code, e.message),
                None => CheckError::file(source.name(), e.code, e.message),
            };
            print_errors(&[error], color);
            return Status::Error;
        }
    };
    let documents: Vec<Value> = loaded
        .documents
        .iter()
        .map(|doc| {
            let mut entry = json!({
                "index": doc.index,
                "format": doc.format.as_str(),
                "input": doc.value,
            });
            // Items of a `kind: List` share their list's index; say where each sits.
            if !doc.base.is_empty() {
                entry["pointer"] = Value::String(doc.base.clone());
            }
            entry
        })
        .collect();
    let notices: Vec<Value> = loaded
        .notices
        .iter()
        .map(|n| {
            let at = location(&source, n.span);
            json!({"line": at.line, "column": at.column, "code": n.code, "message": n.message})
        })
        .collect();
    let out = json!({
        "file": source.name(),
        "documents": documents,
        "notices": notices,
    });
    let text = serde_json::to_string_pretty(&out).unwrap_or_default();
    emit(&format!("{text}\n"));
    Status::Clean
}
