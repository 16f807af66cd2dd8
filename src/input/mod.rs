//! Inputs: splitting a source file into documents, detecting their format, and
//! keeping, for each document, the position of every key and value so that a
//! finding's path can be turned back into a line.

mod arm;
mod cloudformation;
mod hcl;
mod json;
mod pointer;
mod scalar;
pub mod terraform;
mod yaml;

use std::collections::HashMap;
use std::sync::Arc;

pub use pointer::{escape_token, PathSegment};

use crate::source::{SourceFile, Span};

/// The kind of configuration a document is, which decides how it is read and
/// how findings name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    /// A Kubernetes object (`apiVersion` + `kind`).
    Kubernetes,
    /// Any other YAML document.
    Yaml,
    /// Any other JSON document.
    Json,
    /// A Terraform plan as `terraform show -json` writes it.
    TerraformPlan,
    /// A Terraform configuration file (`.tf`), as Conftest's `hcl2` JSON shape.
    TerraformHcl,
    /// An AWS CloudFormation template (YAML or JSON).
    #[serde(rename = "cloudformation")]
    CloudFormation,
    /// An Azure Resource Manager (ARM) deployment template.
    Arm,
}

impl Format {
    /// The name used in `custom.targets` and in `policy parse`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Kubernetes => "kubernetes",
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::TerraformPlan => "terraform-plan",
            Format::TerraformHcl => "terraform-hcl",
            Format::CloudFormation => "cloudformation",
            Format::Arm => "arm",
        }
    }
}

/// How a file's bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML 1.2 (JSON is read by the JSON reader when the text starts with `{` or `[`).
    Yaml,
    /// Strict JSON (ARM templates may also use comments and raw newlines in strings).
    Json,
    /// HCL (Terraform `.tf` files).
    Hcl,
}

impl Syntax {
    /// Guesses the syntax from a file name, or from the text for stdin and unknown extensions.
    pub fn detect(name: &str, text: &str) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return Syntax::Json;
        }
        if lower.ends_with(".tf") {
            return Syntax::Hcl;
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Syntax::Yaml;
        }
        match text.trim_start().as_bytes().first() {
            Some(b'{') | Some(b'[') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// Where one node of a document sits in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodePos {
    /// The mapping key that leads to the node, when the node is a mapping value.
    pub key: Option<Span>,
    /// The node itself.
    pub value: Span,
}

impl NodePos {
    /// What a finding on this node underlines: the key through a scalar value,
    /// or just the key for a collection (whose body can span many lines).
    pub fn highlight(&self, scalar: bool) -> Span {
        match (self.key, scalar) {
            (Some(key), true) => key.join(self.value),
            (Some(key), false) => key,
            (None, _) => self.value,
        }
    }
}

/// Index from JSON pointer (`/spec/containers/0/image`) to source position,
/// for one YAML/JSON document.
#[derive(Debug, Default)]
pub struct Positions {
    nodes: HashMap<String, (NodePos, bool)>,
}

impl Positions {
    pub(crate) fn insert(&mut self, pointer: &str, pos: NodePos, scalar: bool) {
        self.nodes.insert(pointer.to_owned(), (pos, scalar));
    }

    /// Whether a node is indexed at exactly this pointer.
    pub(crate) fn contains(&self, pointer: &str) -> bool {
        self.nodes.contains_key(pointer)
    }

    /// The span to show for `path` below `base`: the exact node when it exists,
    /// otherwise its nearest existing ancestor. The flag tells which it was.
    pub fn locate(&self, base: &str, path: &[PathSegment]) -> Option<(Span, bool)> {
        let mut pointer = base.to_owned();
        let mut best = self.nodes.get(&pointer).map(|(p, s)| p.highlight(*s));
        let mut exact = true;
        for segment in path {
            pointer.push('/');
            segment.push_escaped(&mut pointer);
            match self.nodes.get(&pointer) {
                Some((pos, scalar)) => best = Some(pos.highlight(*scalar)),
                None => {
                    exact = false;
                    break;
                }
            }
        }
        best.map(|span| (span, exact))
    }

    /// Number of indexed nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no node is indexed.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// One document of a file, as policies see it, with the positions of its nodes.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it came from.
    pub source: Arc<SourceFile>,
    /// 1-based index of the document in the file's stream.
    pub index: usize,
    /// What kind of configuration it is.
    pub format: Format,
    /// The value policies see as `input`.
    pub value: serde_json::Value,
    /// Positions of every node of the enclosing YAML/JSON document.
    pub positions: Arc<Positions>,
    /// JSON pointer of this document inside `positions` (non-empty for the items of a `kind: List`).
    pub base: String,
    /// The span of the whole document.
    pub span: Span,
}

/// The identity of the resource a document describes, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// `apiVersion`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `kind`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata.namespace`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name` (or `generateName`), when present; for an ARM resource, its `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Terraform resource address (`module.net.aws_security_group.web`, `data.aws_iam_policy_document.x`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Resource type: Terraform `aws_s3_bucket`, CloudFormation `AWS::S3::Bucket`,
    /// ARM `Microsoft.Storage/storageAccounts`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Terraform planned action: `create`, `update`, `replace`, `delete`, `read` or `no-op`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// CloudFormation logical id (the key under `Resources`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_id: Option<String>,
}

impl Document {
    /// The resource identity of a Kubernetes object (empty for other formats).
    pub fn resource(&self) -> Resource {
        let v = &self.value;
        let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_owned);
        Resource {
            api_version: s("/apiVersion"),
            kind: s("/kind"),
            namespace: s("/metadata/namespace"),
            name: s("/metadata/name").or_else(|| s("/metadata/generateName")),
            ..Resource::default()
        }
    }

    /// The identity of the resource a finding with this path is about: for
    /// formats that hold many resources in one document (Terraform plans and
    /// sources, CloudFormation and ARM templates) the resource the path leads
    /// into; for the others, [`Document::resource`].
    pub fn resource_at(&self, path: Option<&[PathSegment]>) -> Resource {
        let path = path.unwrap_or(&[]);
        match self.format {
            Format::TerraformPlan => terraform::plan_resource(&self.value, path),
            Format::TerraformHcl => terraform::hcl_resource(path),
            Format::CloudFormation => cloudformation::resource(&self.value, path),
            Format::Arm => arm::resource(&self.value, path),
            _ => self.resource(),
        }
    }

    /// Where a finding with this path points, and whether the path exists exactly.
    /// With no path, Kubernetes findings point at `metadata.name`, others at the document.
    pub fn locate(&self, path: Option<&[PathSegment]>) -> (Span, bool) {
        let fallback: Vec<PathSegment>;
        let path = match path {
            Some(p) => p,
            None => {
                fallback = vec![
                    PathSegment::Key("metadata".into()),
                    PathSegment::Key("name".into()),
                ];
                &fallback
            }
        };
        self.positions
            .locate(&self.base, path)
            .unwrap_or((self.span, false))
    }
}

/// Something in a file worth telling the user that does not stop the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Stable kebab-case code.
    pub code: &'static str,
    /// What happened.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// A file that could not be read into documents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    /// Stable kebab-case code (`yaml-parse-error`, `not-utf8`, ...).
    pub code: &'static str,
    /// What is wrong, in words a user can act on.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
}

impl InputError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            code,
            message: message.into(),
            span,
        }
    }
}

/// Limits that keep hostile input from exhausting memory or stack.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of collections accepted.
    pub max_depth: usize,
    /// Most nodes that YAML aliases may add by expansion, per file.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 1000,
            max_alias_nodes: 100_000,
        }
    }
}

/// The documents of one file, and what was noticed while reading it.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Documents in file order (`kind: List` items expanded).
    pub documents: Vec<Document>,
    /// Warnings such as duplicate keys.
    pub notices: Vec<Notice>,
}

/// Reads a decoded source file into documents.
pub fn load(source: &Arc<SourceFile>, limits: Limits) -> Result<Loaded, InputError> {
    match Syntax::detect(source.name(), source.text()) {
        Syntax::Json => json::load(source, limits),
        Syntax::Yaml => yaml::load(source, limits),
        Syntax::Hcl => hcl::load(source, limits),
    }
}

/// The format of a JSON value read from a `.json` file (or from YAML that is not
/// a CloudFormation template: that is decided on the YAML tree, before tags are
/// resolved). Order matters: a Kubernetes object wins, then a Terraform plan,
/// an ARM template and a CloudFormation template.
pub(crate) fn detect_json(value: &serde_json::Value, otherwise: Format) -> Format {
    let serde_json::Value::Object(map) = value else {
        return otherwise;
    };
    if looks_like_kubernetes(|k| map.contains_key(k)) {
        Format::Kubernetes
    } else if terraform::looks_like_plan(|k| map.contains_key(k)) {
        Format::TerraformPlan
    } else if map
        .get("$schema")
        .and_then(|s| s.as_str())
        .is_some_and(arm::is_template_schema)
    {
        Format::Arm
    } else if cloudformation::looks_like_template(map) {
        Format::CloudFormation
    } else {
        otherwise
    }
}

/// Splits a document into its items when it is a Kubernetes list (`kind: List`,
/// `kind: PodList`, ...), as `kubectl` does.
pub(crate) fn expand_lists(doc: Document, out: &mut Vec<Document>) {
    let is_list = doc.format == Format::Kubernetes
        && doc
            .value
            .get("kind")
            .and_then(|k| k.as_str())
            .is_some_and(|k| k.ends_with("List"))
        && doc.value.get("items").is_some_and(|i| i.is_array());
    if !is_list {
        out.push(doc);
        return;
    }
    let Document {
        source,
        index,
        mut value,
        positions,
        base,
        span,
        ..
    } = doc;
    let items = match value.get_mut("items").map(serde_json::Value::take) {
        Some(serde_json::Value::Array(items)) => items,
        _ => Vec::new(),
    };
    for (i, item) in items.into_iter().enumerate() {
        let item_base = format!("{base}/items/{i}");
        let item_span = positions.locate(&item_base, &[]).map_or(span, |(s, _)| s);
        let format = if item.get("apiVersion").is_some() && item.get("kind").is_some() {
            Format::Kubernetes
        } else {
            Format::Yaml
        };
        out.push(Document {
            source: source.clone(),
            index,
            format,
            value: item,
            positions: positions.clone(),
            base: item_base,
            span: item_span,
        });
    }
}

/// Whether a top-level value looks like a Kubernetes object.
pub(crate) fn looks_like_kubernetes(has_key: impl Fn(&str) -> bool) -> bool {
    has_key("apiVersion") && has_key("kind")
}

/// Whether a rule target can name a Kubernetes kind: an upper-case letter,
/// then letters and digits (`Deployment`, `ClusterRole`), unlike Terraform
/// (`aws_s3_bucket`), ARM (`Microsoft.Storage/storageAccounts`) and
/// CloudFormation (`AWS::S3::Bucket`) types and format names (`terraform`).
pub fn is_kubernetes_kind(kind: &str) -> bool {
    kind.starts_with(|c: char| c.is_ascii_uppercase())
        && kind.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Parses a YAML 1.2 string (the first document) into a JSON value, for small
/// embedded YAML such as policy metadata. Empty text gives `null`.
pub fn parse_yaml_value(text: &str) -> Result<serde_json::Value, String> {
    let source = SourceFile::new("<yaml>", text);
    let loaded = yaml::load(&source, Limits::default()).map_err(|e| match e.span {
        Some(span) => {
            let at = source.line_col(span.start);
            format!("{} (line {}, column {})", e.message, at.line, at.column)
        }
        None => e.message,
    })?;
    Ok(loaded
        .documents
        .into_iter()
        .next()
        .map_or(serde_json::Value::Null, |d| d.value))
}

#[cfg(test)]
mod tests {
    use super::is_kubernetes_kind;

    #[test]
    fn kubernetes_kinds_are_told_from_other_formats_types() {
        for kind in [
            "Deployment",
            "ClusterRole",
            "HorizontalPodAutoscaler",
            "V1Thing",
        ] {
            assert!(is_kubernetes_kind(kind), "{kind}");
        }
        for other in [
            "aws_s3_bucket",
            "Microsoft.Storage/storageAccounts",
            "AWS::S3::Bucket",
            "terraform",
            "",
        ] {
            assert!(!is_kubernetes_kind(other), "{other}");
        }
    }
}
