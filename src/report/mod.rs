//! Reporters: one file per output format, chosen by [`Format`]. A reporter
//! turns a finished [`Report`] into text; where that text goes (stdout or a
//! file) is the CLI's business.

pub mod catalog;
pub mod fingerprint;
pub mod frame;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod progress;
pub mod sarif;
pub mod uri;

use std::path::PathBuf;
use std::sync::Arc;

use crate::check::Report;
use crate::engine::Rule;
use crate::input::Resource;

/// Output formats of `policy check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Code frames for people, then a summary line.
    Human,
    /// The versioned JSON document (see README).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// JUnit XML: one test suite per file, one test case per document and rule.
    Junit,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl Format {
    /// Every format, in the order the help lists them.
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }

    /// The format with this command-line name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// Presentation settings that do not change what is reported.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

/// What reporters need besides the report itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Presentation.
    pub style: Style,
    /// The rules of the policy set (SARIF describes them; JUnit lists the ones
    /// that passed). Empty when no policy set could be compiled.
    pub rules: &'a [Arc<Rule>],
    /// Whether warnings fail the run (`--fail-on warning`): JUnit then marks
    /// them as failed test cases rather than passing ones with output.
    pub warnings_fail: bool,
}

/// Renders a report in a format.
pub fn render(format: Format, report: &Report, context: &Context) -> String {
    match format {
        Format::Human => human::render(report, context.style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, context.rules),
        Format::Junit => junit::render(report, context.rules, context.warnings_fail),
        Format::Github => github::render(report),
    }
}

/// How reports name a resource: `Deployment prod/web`, a Terraform address,
/// `AWS::S3::Bucket Logs`; `None` when the document names none.
pub fn resource_label(r: &Resource) -> Option<String> {
    if let Some(address) = &r.address {
        return Some(address.clone());
    }
    let kind = r.kind.as_deref().or(r.resource_type.as_deref());
    let name = match (&r.logical_id, &r.name, &r.namespace) {
        (Some(id), _, _) => Some(id.clone()),
        (None, Some(name), Some(ns)) => Some(format!("{ns}/{name}")),
        (None, Some(name), None) => Some(name.clone()),
        (None, None, _) => None,
    };
    match (kind, name) {
        (Some(kind), Some(name)) => Some(format!("{kind} {name}")),
        (Some(kind), None) => Some(kind.to_owned()),
        (None, Some(name)) => Some(name),
        (None, None) => None,
    }
}

/// Where one report goes: a format and a file, or stdout (`-o FORMAT[=PATH]`,
/// or an entry of `output` in railyard.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// The format.
    pub format: Format,
    /// The file, or `None` for stdout.
    pub path: Option<PathBuf>,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let (name, path) = match value.split_once('=') {
            Some((name, path)) => (name, Some(path)),
            None => (value, None),
        };
        let format = Format::from_name(&name.to_ascii_lowercase()).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            format!(
                "unknown format `{name}` (expected one of {}, optionally followed by =PATH)",
                names.join(", ")
            )
        })?;
        let path = match path {
            None | Some("-") => None,
            Some("") => return Err(format!("`{value}`: the path after `=` is empty")),
            Some(p) => Some(PathBuf::from(p)),
        };
        Ok(OutputSpec { format, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_named_by_their_format() {
        let r = |f: fn(&mut Resource)| {
            let mut r = Resource::default();
            f(&mut r);
            resource_label(&r)
        };
        assert_eq!(
            r(|r| {
                r.kind = Some("Deployment".into());
                r.namespace = Some("prod".into());
                r.name = Some("web".into());
            }),
            Some("Deployment prod/web".into())
        );
        assert_eq!(
            r(|r| {
                r.address = Some("module.a.aws_s3_bucket.logs".into());
                r.resource_type = Some("aws_s3_bucket".into());
            }),
            Some("module.a.aws_s3_bucket.logs".into())
        );
        assert_eq!(
            r(|r| {
                r.resource_type = Some("AWS::S3::Bucket".into());
                r.logical_id = Some("Logs".into());
            }),
            Some("AWS::S3::Bucket Logs".into())
        );
        assert_eq!(
            r(|r| r.kind = Some("Namespace".into())),
            Some("Namespace".into())
        );
        assert_eq!(r(|_| {}), None);
    }
}
