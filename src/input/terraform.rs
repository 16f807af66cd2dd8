//! Terraform: plans (`terraform show -json`) and `.tf` sources. Detection of a
//! plan, the notice for a plan format this version does not know, the identity
//! of the resource a finding is about (address, type, planned action), and the
//! [`SourceIndex`] that maps a plan finding back to the resource's block (and
//! attribute) in the `.tf` files that produced the plan.
//!
//! Reading the `.tf` files from disk is the caller's business (the check
//! pipeline); this module only works on parsed documents.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::{Document, Notice, PathSegment, Positions, Resource};
use crate::source::{SourceFile, Span};

/// Plan format major versions this version of Railyard knows (Terraform keeps
/// the JSON output compatible within a major version: minor versions only add).
const KNOWN_MAJOR_VERSIONS: [u64; 2] = [0, 1];

/// Whether a top-level object is a Terraform plan: `format_version` and
/// `planned_values` or `resource_changes`.
pub(crate) fn looks_like_plan(has_key: impl Fn(&str) -> bool) -> bool {
    has_key("format_version") && (has_key("planned_values") || has_key("resource_changes"))
}

/// A notice when a plan's `format_version` has a major version this Railyard
/// does not know: the plan is still evaluated, but its shape may have changed.
pub(crate) fn format_version_notice(
    plan: &Value,
    positions: &Positions,
    document: Span,
) -> Option<Notice> {
    let version = plan.get("format_version")?;
    let text = version
        .as_str()
        .map_or_else(|| version.to_string(), str::to_owned);
    let major = text.split('.').next().and_then(|m| m.parse::<u64>().ok());
    if major.is_some_and(|m| KNOWN_MAJOR_VERSIONS.contains(&m)) {
        return None;
    }
    let span = positions
        .locate("", &[PathSegment::Key("format_version".into())])
        .map_or(document, |(s, _)| s);
    Some(Notice {
        code: "terraform-unknown-format-version",
        message: format!(
            "plan format_version \"{text}\" is not one this version of Railyard knows (0.x, 1.x); \
             it is evaluated anyway, but rules may miss what changed in the format"
        ),
        span,
    })
}

/// The planned action of a resource change: `create`, `update`, `delete`,
/// `read`, `no-op`, or `replace` for delete-then-create and create-then-delete.
pub fn action_name(actions: &Value) -> Option<String> {
    let names: Vec<&str> = actions
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    Some(match names.as_slice() {
        [single] => (*single).to_owned(),
        ["delete", "create"] | ["create", "delete"] => "replace".to_owned(),
        other => other.join("-"),
    })
}

fn key(segment: Option<&PathSegment>) -> Option<&str> {
    match segment {
        Some(PathSegment::Key(k)) => Some(k),
        _ => None,
    }
}

fn step<'v>(value: &'v Value, segment: &PathSegment) -> Option<&'v Value> {
    match (segment, value) {
        (PathSegment::Key(k), Value::Object(map)) => map.get(k),
        (PathSegment::Index(i), Value::Array(items)) => items.get(*i),
        _ => None,
    }
}

/// What a plan path points into: the resource's absolute address, and the
/// rest of the path inside the resource's attribute values.
struct PlanTarget {
    address: String,
    resource_type: Option<String>,
    action: Option<String>,
    rest: Vec<PathSegment>,
}

impl PlanTarget {
    /// The resource at `address`, with its planned action.
    fn new(plan: &Value, resource: &Value, address: String, rest: Vec<PathSegment>) -> Self {
        PlanTarget {
            resource_type: resource
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_owned),
            action: change_action(plan, &address),
            address,
            rest,
        }
    }
}

/// Finds the resource a path into a plan leads to: a `resource_changes` (or
/// `resource_drift`) entry, a `planned_values`/`prior_state` module resource,
/// or a `configuration` resource.
fn plan_target(plan: &Value, path: &[PathSegment]) -> Option<PlanTarget> {
    let section = key(path.first())?;
    match section {
        "resource_changes" | "resource_drift" => {
            let change = step(plan.get(section)?, path.get(1)?)?;
            let address = change.get("address")?.as_str()?.to_owned();
            // resource_changes/N/change/after/<attribute...>
            let rest = match (key(path.get(2)), key(path.get(3))) {
                (
                    Some("change"),
                    Some("after" | "before" | "after_unknown" | "after_sensitive"),
                ) => path[4..].to_vec(),
                _ => Vec::new(),
            };
            Some(PlanTarget {
                resource_type: change
                    .get("type")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                action: change
                    .get("change")
                    .and_then(|c| c.get("actions"))
                    .and_then(action_name),
                address,
                rest,
            })
        }
        "planned_values" | "prior_state" => {
            let (mut node, mut i) = if section == "prior_state" {
                if key(path.get(1)) != Some("values") {
                    return None;
                }
                (plan.get(section)?.get("values")?, 2)
            } else {
                (plan.get(section)?, 1)
            };
            if key(path.get(i)) != Some("root_module") {
                return None;
            }
            node = node.get("root_module")?;
            i += 1;
            loop {
                match key(path.get(i))? {
                    "child_modules" => {
                        node = step(node.get("child_modules")?, path.get(i + 1)?)?;
                        i += 2;
                    }
                    "resources" => {
                        let resource = step(node.get("resources")?, path.get(i + 1)?)?;
                        let address = resource.get("address")?.as_str()?.to_owned();
                        let rest = if key(path.get(i + 2)) == Some("values") {
                            path[i + 3..].to_vec()
                        } else {
                            Vec::new()
                        };
                        return Some(PlanTarget::new(plan, resource, address, rest));
                    }
                    _ => return None,
                }
            }
        }
        "configuration" => {
            if key(path.get(1)) != Some("root_module") {
                return None;
            }
            let mut node = plan.get("configuration")?.get("root_module")?;
            let mut prefix = String::new();
            let mut i = 2;
            loop {
                match key(path.get(i))? {
                    "module_calls" => {
                        let name = key(path.get(i + 1))?;
                        node = node.get("module_calls")?.get(name)?.get("module")?;
                        prefix.push_str(&format!("module.{name}."));
                        i += 3;
                    }
                    "resources" => {
                        let resource = step(node.get("resources")?, path.get(i + 1)?)?;
                        let address = format!("{prefix}{}", resource.get("address")?.as_str()?);
                        let rest = if key(path.get(i + 2)) == Some("expressions") {
                            path[i + 3..]
                                .iter()
                                .filter(|s| {
                                    !matches!(s, PathSegment::Key(k) if k == "constant_value" || k == "references")
                                })
                                .cloned()
                                .collect()
                        } else {
                            Vec::new()
                        };
                        return Some(PlanTarget::new(plan, resource, address, rest));
                    }
                    _ => return None,
                }
            }
        }
        _ => None,
    }
}

fn change_action(plan: &Value, address: &str) -> Option<String> {
    plan.get("resource_changes")?
        .as_array()?
        .iter()
        .find(|c| c.get("address").and_then(Value::as_str) == Some(address))
        .and_then(|c| c.get("change")?.get("actions"))
        .and_then(action_name)
}

/// The identity of the plan resource a finding's path leads into.
pub(super) fn plan_resource(plan: &Value, path: &[PathSegment]) -> Resource {
    match plan_target(plan, path) {
        Some(t) => Resource {
            address: Some(t.address),
            resource_type: t.resource_type,
            action: t.action,
            ..Resource::default()
        },
        None => Resource::default(),
    }
}

/// The identity of the `.tf` block a finding's path leads into
/// (`/resource/aws_s3_bucket/logs/0/acl` is `aws_s3_bucket.logs`).
pub(super) fn hcl_resource(path: &[PathSegment]) -> Resource {
    let label = |i: usize| key(path.get(i)).map(str::to_owned);
    let (address, resource_type) = match key(path.first()) {
        Some("resource") => match (label(1), label(2)) {
            (Some(t), Some(n)) => (Some(format!("{t}.{n}")), Some(t)),
            (t, _) => (None, t),
        },
        Some("data") => match (label(1), label(2)) {
            (Some(t), Some(n)) => (Some(format!("data.{t}.{n}")), Some(t)),
            (t, _) => (None, t),
        },
        Some("module") => (label(1).map(|n| format!("module.{n}")), None),
        Some("variable") => (label(1).map(|n| format!("var.{n}")), None),
        Some("output") => (label(1).map(|n| format!("output.{n}")), None),
        _ => (None, None),
    };
    Resource {
        address,
        resource_type,
        ..Resource::default()
    }
}

/// A parsed resource address: module names (instance keys dropped), whether it
/// is a data source, type and name.
#[derive(Debug, PartialEq, Eq)]
struct Address {
    modules: Vec<String>,
    data: bool,
    resource_type: String,
    name: String,
}

/// Splits `module.a["x.y"].module.b.aws_s3_bucket.logs[0]` into its parts.
fn parse_address(address: &str) -> Option<Address> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            '.' if !quoted && depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        if depth == 0 && !quoted && c != ']' {
            current.push(c);
        }
    }
    parts.push(current);
    let mut parts = parts.into_iter();
    let mut modules = Vec::new();
    let mut data = false;
    loop {
        let part = parts.next()?;
        match part.as_str() {
            "module" => modules.push(parts.next()?),
            "data" => {
                data = true;
                break;
            }
            _ => {
                let name = parts.next()?;
                return Some(Address {
                    modules,
                    data,
                    resource_type: part,
                    name,
                });
            }
        }
    }
    let resource_type = parts.next()?;
    let name = parts.next()?;
    Some(Address {
        modules,
        data,
        resource_type,
        name,
    })
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The directory (relative to the root module) of a module path, from the
/// plan's `configuration`: each call's `source` when it is a local path.
fn module_dir(plan: &Value, modules: &[String]) -> Option<PathBuf> {
    let mut dir = PathBuf::new();
    let mut node = plan.get("configuration")?.get("root_module")?;
    for name in modules {
        let call = node.get("module_calls")?.get(name)?;
        let source = call.get("source")?.as_str()?;
        if !(source.starts_with("./") || source.starts_with("../")) {
            return None;
        }
        dir = normalize(&dir.join(source));
        node = call.get("module")?;
    }
    Some(dir)
}

/// Where a plan finding sits in the `.tf` sources.
#[derive(Debug, Clone)]
pub struct SourceHit {
    /// The `.tf` file.
    pub source: Arc<SourceFile>,
    /// The attribute (when the finding's path names one that is written in the
    /// block), else the block's header.
    pub span: Span,
}

/// The parsed `.tf` files of a Terraform configuration (the root module's
/// directory and the directories below it), to map plan findings back to the
/// blocks that declare their resources.
#[derive(Debug, Default)]
pub struct SourceIndex {
    files: Vec<(PathBuf, Document)>,
}

impl SourceIndex {
    /// An index of `.tf` documents, each with its directory relative to the
    /// root module's directory (`""` for the root module itself).
    pub fn new(files: Vec<(PathBuf, Document)>) -> Self {
        Self {
            files: files
                .into_iter()
                .map(|(dir, doc)| (normalize(&dir), doc))
                .collect(),
        }
    }

    /// Number of files indexed.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is indexed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The block (and attribute) in the sources that a finding on `plan` at
    /// `path` is about. The module's directory comes from the plan's
    /// `configuration` (local module sources); when it cannot be known (a
    /// registry module), a block found in exactly one directory is used.
    pub fn locate(&self, plan: &Value, path: &[PathSegment]) -> Option<SourceHit> {
        let target = plan_target(plan, path)?;
        let address = parse_address(&target.address)?;
        let kind = if address.data { "data" } else { "resource" };
        let block = [
            PathSegment::Key(kind.into()),
            PathSegment::Key(address.resource_type.clone()),
            PathSegment::Key(address.name.clone()),
        ];
        let declares = |doc: &Document| {
            doc.value
                .get(kind)
                .and_then(|k| k.get(&address.resource_type))
                .and_then(|t| t.get(&address.name))
                .is_some()
        };
        let candidates: Vec<&Document> = match module_dir(plan, &address.modules) {
            Some(dir) => self
                .files
                .iter()
                .filter(|(d, doc)| *d == dir && declares(doc))
                .map(|(_, doc)| doc)
                .collect(),
            None => {
                let all: Vec<&(PathBuf, Document)> =
                    self.files.iter().filter(|(_, doc)| declares(doc)).collect();
                let first_dir = all.first().map(|(d, _)| d);
                if all.iter().all(|(d, _)| Some(d) == first_dir) {
                    all.into_iter().map(|(_, doc)| doc).collect()
                } else {
                    Vec::new()
                }
            }
        };
        let doc = candidates.first()?;
        let mut hcl_path = block.to_vec();
        hcl_path.push(PathSegment::Index(0));
        hcl_path.extend(target.rest);
        let (span, _) = doc.positions.locate("", &hcl_path)?;
        Some(SourceHit {
            source: doc.source.clone(),
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_with_modules_indexes_and_data_sources() {
        let a = parse_address("module.net[\"a.b\"].module.sg.aws_security_group.web[0]").unwrap();
        assert_eq!(a.modules, ["net", "sg"]);
        assert_eq!(a.resource_type, "aws_security_group");
        assert_eq!(a.name, "web");
        let d = parse_address("data.aws_iam_policy_document.p").unwrap();
        assert!(d.data);
        assert_eq!(d.name, "p");
    }

    #[test]
    fn actions_and_identity() {
        assert_eq!(
            action_name(&json!(["delete", "create"])).as_deref(),
            Some("replace")
        );
        assert_eq!(action_name(&json!(["no-op"])).as_deref(), Some("no-op"));
        let plan = json!({"resource_changes": [{"address": "module.m.aws_s3_bucket.b", "type": "aws_s3_bucket",
            "change": {"actions": ["update"], "after": {"acl": "public-read"}}}]});
        let path =
            PathSegment::parse_path(&json!(["resource_changes", 0, "change", "after", "acl"]))
                .unwrap();
        let r = plan_resource(&plan, &path);
        assert_eq!(r.address.as_deref(), Some("module.m.aws_s3_bucket.b"));
        assert_eq!(r.action.as_deref(), Some("update"));
        assert_eq!(r.resource_type.as_deref(), Some("aws_s3_bucket"));
    }

    #[test]
    fn unknown_major_versions_get_a_notice() {
        let positions = Positions::default();
        let span = Span::new(0, 1);
        assert!(
            format_version_notice(&json!({"format_version": "1.2"}), &positions, span).is_none()
        );
        let n = format_version_notice(&json!({"format_version": "2.0"}), &positions, span).unwrap();
        assert_eq!(n.code, "terraform-unknown-format-version");
    }

    #[test]
    fn module_directories_come_from_local_sources() {
        let plan = json!({"configuration": {"root_module": {"module_calls": {"net": {
            "source": "./modules/net", "module": {"module_calls": {"sg": {"source": "../sg", "module": {}}}}
        }}}}});
        assert_eq!(
            module_dir(&plan, &["net".into()]),
            Some(PathBuf::from("modules/net"))
        );
        assert_eq!(
            module_dir(&plan, &["net".into(), "sg".into()]),
            Some(PathBuf::from("modules/sg"))
        );
    }
}
