//! From a YAML tree to a document: the format is decided on the tree, plain
//! scalars resolve per format (YAML 1.1 for Kubernetes objects, 1.2 elsewhere),
//! CloudFormation short-form tags become their long forms, merge keys fill in,
//! and every node's position is recorded under its JSON pointer.

use std::sync::Arc;

use saphyr_parser::Tag;
use serde_json::{Map, Value};

use super::Node;
use crate::input::scalar::{resolve_scalar, Schema};
use crate::input::{
    cloudformation, detect_json, escape_token, expand_lists, looks_like_kubernetes, terraform,
    Document, Format, InputError, Loaded, NodePos, Notice, Positions,
};
use crate::source::{SourceFile, Span};

/// Resolves one tree into a document (or the items of a list) with positions.
/// The format is decided on the tree, before scalars and tags are resolved:
/// Kubernetes objects read YAML 1.1 scalars, CloudFormation templates turn
/// their short-form tags into long forms (an unknown tag is an error).
pub(super) fn document(
    source: &Arc<SourceFile>,
    index: usize,
    root: &Node,
    loaded: &mut Loaded,
) -> Result<(), InputError> {
    // A stream's empty or comment-only documents are not documents anyone meant to check.
    if matches!(root, Node::Scalar { text, plain: true, tag: None, .. } if text.is_empty()) {
        return Ok(());
    }
    let format = if looks_like_kubernetes(|k| root.has_key(k)) {
        Format::Kubernetes
    } else if root.looks_like_cloudformation() {
        Format::CloudFormation
    } else {
        Format::Yaml
    };
    let mut resolver = Resolver {
        schema: if format == Format::Kubernetes {
            Schema::Yaml11
        } else {
            Schema::Core
        },
        cloudformation: format == Format::CloudFormation,
        positions: Positions::default(),
        notices: &mut loaded.notices,
    };
    let mut pointer = String::new();
    let value = resolver.value(root, None, &mut pointer)?;
    let positions = resolver.positions;
    // A Terraform plan or an ARM template written as YAML is still one.
    let format = if format == Format::Yaml {
        detect_json(&value, Format::Yaml)
    } else {
        format
    };
    if format == Format::TerraformPlan {
        loaded.notices.extend(terraform::format_version_notice(
            &value,
            &positions,
            root.span(),
        ));
    }
    expand_lists(
        Document {
            source: source.clone(),
            index,
            format,
            value,
            positions: Arc::new(positions),
            base: String::new(),
            span: root.span(),
        },
        &mut loaded.documents,
    );
    Ok(())
}

struct Resolver<'n> {
    schema: Schema,
    /// Turn CloudFormation short-form tags into long forms (and reject unknown tags).
    cloudformation: bool,
    positions: Positions,
    notices: &'n mut Vec<Notice>,
}

impl Resolver<'_> {
    fn value(
        &mut self,
        node: &Node,
        key: Option<Span>,
        pointer: &mut String,
    ) -> Result<Value, InputError> {
        let pos = NodePos {
            key,
            value: node.span(),
        };
        if self.cloudformation {
            if let Some(tag) = node.tag().filter(|t| !t.is_yaml_core_schema()) {
                return self.intrinsic(node, tag, pos, pointer);
            }
        }
        Ok(match node {
            Node::Scalar {
                text, plain, tag, ..
            } => {
                self.positions.insert(pointer, pos, true);
                resolve_scalar(text, *plain, tag.as_ref(), self.schema)
            }
            Node::Seq { items, .. } => {
                self.positions.insert(pointer, pos, false);
                let len = pointer.len();
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    out.push(self.value(item, None, pointer)?);
                    pointer.truncate(len);
                }
                Value::Array(out)
            }
            Node::Map { entries, .. } => {
                self.positions.insert(pointer, pos, false);
                self.mapping(entries, pointer)?
            }
        })
    }

    /// A CloudFormation short form (`!Sub "..."`) as its long form
    /// (`{"Fn::Sub": "..."}`); the inner value sits at the same place in the file.
    fn intrinsic(
        &mut self,
        node: &Node,
        tag: &Tag,
        pos: NodePos,
        pointer: &mut String,
    ) -> Result<Value, InputError> {
        let long = (tag.handle == "!")
            .then(|| cloudformation::long_form(&tag.suffix))
            .flatten()
            .ok_or_else(|| {
                InputError::new(
                    "cloudformation-unknown-tag",
                    format!(
                        "unknown CloudFormation tag {}{}: the short forms are the intrinsic \
                         functions (!Ref, !Sub, !GetAtt, !If ...) and rule functions \
                         (!Contains, !ValueOf ...)",
                        tag.handle, tag.suffix
                    ),
                    Some(node.span()),
                )
            })?;
        let scalar = matches!(node, Node::Scalar { .. });
        self.positions.insert(pointer, pos, scalar);
        let len = pointer.len();
        pointer.push('/');
        escape_token(long, pointer);
        let inner_pos = NodePos {
            key: None,
            value: node.span(),
        };
        let inner = match node {
            Node::Scalar { text, .. } if long == "Fn::GetAtt" => {
                let list = cloudformation::get_att_list(text);
                self.positions.insert(pointer, inner_pos, scalar);
                if let Value::Array(items) = &list {
                    for i in 0..items.len() {
                        let item = format!("{pointer}/{i}");
                        self.positions.insert(&item, inner_pos, true);
                    }
                }
                list
            }
            Node::Scalar {
                text, plain, span, ..
            } => {
                self.positions.insert(pointer, inner_pos, true);
                let untagged = Node::Scalar {
                    text: text.clone(),
                    plain: *plain,
                    tag: None,
                    span: *span,
                };
                self.value(&untagged, None, pointer)?
            }
            Node::Seq { items, span, .. } => {
                let untagged = Node::Seq {
                    items: items.clone(),
                    tag: None,
                    span: *span,
                };
                self.value(&untagged, None, pointer)?
            }
            Node::Map { entries, span, .. } => {
                let untagged = Node::Map {
                    entries: entries.clone(),
                    tag: None,
                    span: *span,
                };
                self.value(&untagged, None, pointer)?
            }
        };
        pointer.truncate(len);
        let mut map = Map::with_capacity(1);
        map.insert(long.to_owned(), inner);
        Ok(Value::Object(map))
    }

    fn mapping(
        &mut self,
        entries: &[(Node, Node)],
        pointer: &mut String,
    ) -> Result<Value, InputError> {
        let len = pointer.len();
        let mut out = Map::with_capacity(entries.len());
        let mut merges = Vec::new();
        for (key, value) in entries {
            if matches!(key, Node::Scalar { text, plain: true, tag: None, .. } if text == "<<") {
                merges.push(value);
                continue;
            }
            let name = key_string(key);
            pointer.push('/');
            escape_token(&name, pointer);
            let resolved = self.value(value, Some(key.span()), pointer)?;
            pointer.truncate(len);
            if out.insert(name.clone(), resolved).is_some() {
                self.notices.push(Notice {
                    code: "duplicate-key",
                    message: format!("duplicate key \"{name}\": the last value is used"),
                    span: key.span(),
                });
            }
        }
        // Merge keys (`<<: *defaults`) fill in what the mapping does not set itself.
        for merged in merges {
            let sources: Vec<&Node> = match merged {
                Node::Seq { items, .. } => items.iter().collect(),
                other => vec![other],
            };
            for source in sources {
                let Node::Map { entries, .. } = source else {
                    continue;
                };
                for (key, value) in entries {
                    let name = key_string(key);
                    if out.contains_key(&name) {
                        continue;
                    }
                    pointer.push('/');
                    escape_token(&name, pointer);
                    let resolved = self.value(value, Some(key.span()), pointer)?;
                    pointer.truncate(len);
                    out.insert(name, resolved);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// Mapping keys become strings, as in JSON; a collection key (rare) becomes its JSON text.
fn key_string(key: &Node) -> String {
    match key {
        Node::Scalar { text, .. } => text.clone(),
        other => {
            let mut resolver = Resolver {
                schema: Schema::Core,
                cloudformation: false,
                positions: Positions::default(),
                notices: &mut Vec::new(),
            };
            resolver
                .value(other, None, &mut String::new())
                .map(|v| v.to_string())
                .unwrap_or_default()
        }
    }
}
