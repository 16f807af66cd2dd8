//! The SARIF 2.1.0 format, for code scanning: one `rule` per rule id (with
//! help, default level and a `security-severity` that ranks it), one `result`
//! per finding with its region and a fingerprint that survives code moving,
//! and the run's errors as tool execution notifications. Types come from
//! `serde-sarif`; this module only decides what goes where.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::json;
use serde_sarif::sarif as s;

use crate::check::Report;
use crate::engine::{Level, Rule, Severity};
use crate::finding::{CheckError, Finding, InputNotice, Location};
use crate::report::catalog::{Catalog, RuleInfo};
use crate::report::fingerprint::fingerprint;
use crate::report::resource_label;
use crate::report::uri::Paths;

/// The JSON schema the output declares (the OASIS 2.1.0 schema with errata).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of Railyard's fingerprint in `partialFingerprints`; the version
/// changes only if the inputs of the hash ever change.
pub const FINGERPRINT_KEY: &str = "railyard/v1";

/// Relative paths are relative to where `policy check` ran: the repository root in CI.
const SRCROOT: &str = "%SRCROOT%";

const TOOL_NAME: &str = "Railyard";

/// The score code scanning ranks a severity by (critical is 9.0 and above,
/// high 7.0 to 8.9, medium 4.0 to 6.9, low below 4.0).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Failure => "error",
        Level::Warning => "warning",
    }
}

/// SARIF numbers are `i64`; ours never come near the limit.
fn num(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Renders the report as a SARIF log with one run.
pub fn render(report: &Report, rules: &[Arc<Rule>]) -> String {
    let catalog = Catalog::new(rules, &report.findings);
    let base = std::env::current_dir().ok();
    let paths = Paths::new(base.as_deref());
    let results: Vec<s::Result> = report
        .findings
        .iter()
        .map(|f| result(f, &catalog, &paths))
        .collect();
    let driver = s::ToolComponent::builder()
        .name(TOOL_NAME)
        .full_name(format!("{TOOL_NAME} {}", env!("CARGO_PKG_VERSION")))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(catalog.entries().iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let notifications: Vec<s::Notification> = report
        .errors
        .iter()
        .map(|e| error_notification(e, &paths))
        .chain(
            report
                .notices
                .iter()
                .map(|n| notice_notification(n, &paths)),
        )
        .collect();
    let mut invocation = s::Invocation::builder()
        .execution_successful(report.errors.is_empty())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let run = s::Run::builder()
        .tool(s::Tool::builder().driver(driver).build())
        .invocations(vec![invocation])
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = s::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    // The SARIF types hold only strings, numbers, maps and vectors.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn descriptor(rule: &RuleInfo) -> s::ReportingDescriptor {
    let title = rule.title.clone().unwrap_or_else(|| rule.id.clone());
    let full = rule.description.clone().unwrap_or_else(|| title.clone());
    let (help_text, help_markdown) = help(rule, &full);
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_owned(),
        json!(security_severity(rule.severity)),
    );
    extra.insert("severity".to_owned(), json!(rule.severity.as_str()));
    extra.insert("policy".to_owned(), json!(rule.policy));
    s::ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(pascal_case(rule.title.as_deref().unwrap_or(&rule.policy)))
        .short_description(s::MultiformatMessageString::builder().text(title).build())
        .full_description(s::MultiformatMessageString::builder().text(full).build())
        .help(
            s::MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            s::ReportingConfiguration::builder()
                .level(json!(level(rule.level)))
                .build(),
        )
        .properties(
            s::PropertyBag::builder()
                .tags(vec!["security".to_owned(), "policy".to_owned()])
                .additional_properties(extra)
                .build(),
        )
        .build()
}

/// The help text: what the rule is about, then how to fix it.
fn help(rule: &RuleInfo, full: &str) -> (String, String) {
    match &rule.remediation {
        Some(fix) => (
            format!("{full}\n\nRemediation: {fix}"),
            format!("{full}\n\n**Remediation:** {fix}"),
        ),
        None => (full.to_owned(), full.to_owned()),
    }
}

/// `Privileged containers` -> `PrivilegedContainers`, for `rule.name`.
fn pascal_case(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

fn region(l: &Location) -> s::Region {
    s::Region::builder()
        .start_line(num(l.line))
        .start_column(num(l.column))
        .end_line(num(l.end_line))
        .end_column(num(l.end_column))
        .build()
}

fn physical(file: &str, at: &Location, paths: &Paths) -> s::PhysicalLocation {
    s::PhysicalLocation::builder()
        .artifact_location(artifact(paths, file))
        .region(region(at))
        .build()
}

fn result(f: &Finding, catalog: &Catalog, paths: &Paths) -> s::Result {
    // A Terraform plan finding whose resource was found in the `.tf` sources
    // is shown there, where it is fixed (a plan is usually a build artifact
    // that code scanning cannot show); the plan becomes a related location.
    let (primary, related) = match &f.source {
        Some(source) => (
            physical(&source.file, &source.location, paths),
            Some((
                physical(&f.file, &f.location, paths),
                "the resource in the Terraform plan",
            )),
        ),
        None => (physical(&f.file, &f.location, paths), None),
    };
    let mut location = s::Location::builder().physical_location(primary).build();
    if let Some(name) = resource_label(&f.resource) {
        location.logical_locations = Some(vec![s::LogicalLocation::builder()
            .fully_qualified_name(name)
            .kind("resource")
            .build()]);
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_owned(), fingerprint(f));
    let mut result = s::Result::builder()
        .rule_id(f.rule.clone())
        .level(match f.level {
            Level::Failure => s::ResultLevel::Error,
            Level::Warning => s::ResultLevel::Warning,
        })
        .message(s::Message::builder().text(f.message.clone()).build())
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .build();
    if let Some((place, what)) = related {
        result.related_locations = Some(vec![s::Location::builder()
            .id(1)
            .physical_location(place)
            .message(s::Message::builder().text(what).build())
            .build()]);
    }
    if let Some(index) = catalog.position(&f.rule) {
        result.rule_index = Some(num(index));
    }
    if let Some(justification) = waiver_justification(f) {
        result.suppressions = Some(vec![suppression(&justification)]);
    }
    result
}

/// Why a finding is waived, when it is: the waiver's owner, expiry and reason.
fn waiver_justification(finding: &Finding) -> Option<String> {
    finding
        .waiver
        .as_ref()
        .map(|w| format!("{} ({} {}:{})", w.describe(), w.by, w.file, w.line))
}

/// How SARIF marks a waived result: suppressed outside the source, accepted,
/// with the waiver's reason. Code scanning shows it as dismissed.
pub fn suppression(justification: &str) -> s::Suppression {
    s::Suppression::builder()
        .kind(json!("external"))
        .status(json!("accepted"))
        .justification(justification)
        .build()
}

/// Where a file is, for SARIF: relative URIs are marked as relative to the source root.
fn artifact(paths: &Paths, file: &str) -> s::ArtifactLocation {
    let (uri, relative) = paths.uri(file);
    let mut location = s::ArtifactLocation::builder().uri(uri).build();
    if relative {
        location.uri_base_id = Some(SRCROOT.to_owned());
    }
    location
}

fn error_notification(e: &CheckError, paths: &Paths) -> s::Notification {
    notification(
        "error", e.code, &e.message, &e.file, e.line, e.column, paths,
    )
}

fn notice_notification(n: &InputNotice, paths: &Paths) -> s::Notification {
    notification(
        "warning",
        n.code,
        &n.message,
        &n.file,
        Some(n.line),
        Some(n.column),
        paths,
    )
}

fn notification(
    level: &str,
    code: &str,
    message: &str,
    file: &str,
    line: Option<usize>,
    column: Option<usize>,
    paths: &Paths,
) -> s::Notification {
    let mut physical = s::PhysicalLocation::builder()
        .artifact_location(artifact(paths, file))
        .build();
    if let Some(line) = line {
        let mut region = s::Region::builder().start_line(num(line)).build();
        region.start_column = column.map(num);
        physical.region = Some(region);
    }
    s::Notification::builder()
        .level(json!(level))
        .message(s::Message::builder().text(message).build())
        .descriptor(s::ReportingDescriptorReference::builder().id(code).build())
        .locations(vec![s::Location::builder()
            .physical_location(physical)
            .build()])
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal_case("Privileged containers"), "PrivilegedContainers");
        assert_eq!(
            pascal_case("railyard.kubernetes.host_pid"),
            "RailyardKubernetesHostPid"
        );
        assert_eq!(pascal_case(""), "");
    }

    #[test]
    fn every_severity_ranks_in_its_code_scanning_band() {
        let score = |s| security_severity(s).parse::<f64>().unwrap_or(-1.0);
        assert!(score(Severity::Critical) >= 9.0);
        assert!((7.0..9.0).contains(&score(Severity::High)));
        assert!((4.0..7.0).contains(&score(Severity::Medium)));
        assert!((0.1..4.0).contains(&score(Severity::Low)));
        assert!(score(Severity::Info) < score(Severity::Low));
    }

    #[test]
    fn a_suppressed_result_is_valid_sarif() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/sarif-schema-2.1.0.json"))
                .unwrap_or_default();
        let validator = jsonschema::draft4::new(&schema);
        assert!(validator.is_ok(), "the SARIF schema compiles");
        let log = json!({
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": TOOL_NAME}},
                "results": [{
                    "ruleId": "K8S-POD-001",
                    "message": {"text": "container \"app\" is privileged"},
                    "suppressions": [suppression("accepted until the migration, see TICKET-1")]
                }]
            }]
        });
        let errors: Vec<String> = validator
            .iter()
            .flat_map(|v| {
                v.iter_errors(&log)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_suppression_is_external_and_accepted_with_its_reason() {
        let value =
            serde_json::to_value(suppression("accepted risk, see TICKET-1")).unwrap_or_default();
        assert_eq!(
            value,
            json!({"kind": "external", "status": "accepted", "justification": "accepted risk, see TICKET-1"})
        );
    }
}
