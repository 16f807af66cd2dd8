//! The YAML reader: saphyr's event parser (YAML 1.2) turned into documents with
//! positions. It builds its own tree so that it can bound alias expansion and
//! nesting, keep tags, report duplicate keys, and resolve plain scalars per format
//! (Kubernetes objects read `yes`/`no`/`on`/`off` and `0644` as `kubectl` does).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Value};

use super::scalar::{resolve_scalar, Schema};

use super::{
    cloudformation, detect_json, escape_token, expand_lists, looks_like_kubernetes, terraform,
    Document, Format, InputError, Limits, Loaded, NodePos, Notice, Positions,
};
use crate::source::{SourceFile, Span};

/// A YAML node with its span, before scalars are resolved.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Scalar {
        text: String,
        plain: bool,
        tag: Option<Tag>,
        span: Span,
    },
    Seq {
        items: Vec<Node>,
        tag: Option<Tag>,
        span: Span,
    },
    Map {
        entries: Vec<(Node, Node)>,
        tag: Option<Tag>,
        span: Span,
    },
}

impl Node {
    fn span(&self) -> Span {
        match self {
            Node::Scalar { span, .. } | Node::Seq { span, .. } | Node::Map { span, .. } => *span,
        }
    }

    fn scalar_text(&self) -> Option<&str> {
        match self {
            Node::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    fn has_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.scalar_text() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn tag(&self) -> Option<&Tag> {
        match self {
            Node::Scalar { tag, .. } | Node::Seq { tag, .. } | Node::Map { tag, .. } => {
                tag.as_ref()
            }
        }
    }

    /// Whether this tree is a CloudFormation template (decided before tags are resolved).
    fn looks_like_cloudformation(&self) -> bool {
        if self.has_key("AWSTemplateFormatVersion") {
            return true;
        }
        match self.get("Resources") {
            Some(Node::Map { entries, .. }) => entries.iter().any(|(_, r)| {
                r.get("Type")
                    .and_then(Node::scalar_text)
                    .is_some_and(cloudformation::is_aws_type)
            }),
            _ => false,
        }
    }
}

/// Converts saphyr's character offsets to byte offsets, walking from the last
/// position since events arrive almost in order.
struct Offsets<'a> {
    text: &'a str,
    /// Bytes of `text` that are spaces added to lines (see [`load`]), sorted:
    /// spans are moved back onto the original text.
    inserted: &'a [usize],
    ascii: bool,
    last_char: usize,
    last_byte: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str, inserted: &'a [usize]) -> Self {
        Self {
            text,
            inserted,
            ascii: text.is_ascii(),
            last_char: 0,
            last_byte: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.last_char {
            self.last_char = 0;
            self.last_byte = 0;
        }
        let mut byte = self.last_byte;
        let mut chars = self.text[byte..].chars();
        for _ in self.last_char..char_index {
            match chars.next() {
                Some(c) => byte += c.len_utf8(),
                None => break,
            }
        }
        self.last_char = char_index;
        self.last_byte = byte;
        byte
    }

    fn span(&mut self, span: saphyr_parser::Span) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Span::new(self.original(start), self.original(end))
    }

    /// The offset in the original text of an offset in the parsed text.
    fn original(&self, byte: usize) -> usize {
        byte - self.inserted.iter().take_while(|&&p| p < byte).count()
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        tag: Option<Tag>,
        start: Span,
        anchor: usize,
        count_at_start: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        tag: Option<Tag>,
        start: Span,
        anchor: usize,
        count_at_start: usize,
    },
}

/// Builds one tree per document from the event stream.
struct Builder {
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    alias_nodes: usize,
    root: Option<Node>,
}

impl Builder {
    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node, size: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
    }

    fn open(&mut self, frame: Frame, span: Span) -> Result<(), InputError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(InputError::new(
                "nesting-too-deep",
                format!(
                    "document nests deeper than {} levels; this is not a realistic configuration",
                    self.limits.max_depth
                ),
                Some(span),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), InputError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let node = Node::Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                    tag: tag.map(Cow::into_owned),
                    span,
                };
                self.nodes += 1;
                self.remember(anchor, &node, 1);
                self.add(node);
            }
            Event::SequenceStart(anchor, tag) => {
                let frame = Frame::Seq {
                    items: Vec::new(),
                    tag: tag.map(Cow::into_owned),
                    start: span,
                    anchor,
                    count_at_start: self.nodes,
                };
                self.open(frame, span)?;
            }
            Event::MappingStart(anchor, tag) => {
                let frame = Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    tag: tag.map(Cow::into_owned),
                    start: span,
                    anchor,
                    count_at_start: self.nodes,
                };
                self.open(frame, span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, count_at_start) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        tag,
                        start,
                        anchor,
                        count_at_start,
                    }) => {
                        let end = items.last().map_or(start, Node::span);
                        let span = start.join(end);
                        (Node::Seq { items, tag, span }, anchor, count_at_start)
                    }
                    Some(Frame::Map {
                        entries,
                        tag,
                        start,
                        anchor,
                        count_at_start,
                        ..
                    }) => {
                        let end = entries.last().map_or(start, |(_, v)| v.span());
                        let span = start.join(end);
                        (Node::Map { entries, tag, span }, anchor, count_at_start)
                    }
                    None => return Ok(()),
                };
                self.nodes += 1;
                let size = self.nodes - count_at_start;
                self.remember(anchor, &node, size);
                self.add(node);
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(InputError::new(
                        "yaml-parse-error",
                        "alias refers to an unknown anchor",
                        Some(span),
                    ));
                };
                if self.alias_nodes + size > self.limits.max_alias_nodes {
                    return Err(InputError::new(
                        "yaml-alias-bomb",
                        format!(
                            "aliases expand to more than {} nodes (a \"billion laughs\" document?); refusing to expand further",
                            self.limits.max_alias_nodes
                        ),
                        Some(span),
                    ));
                }
                let (node, size) = (node.clone(), *size);
                self.alias_nodes += size;
                self.nodes += size;
                self.add(node);
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
        Ok(())
    }
}

/// A scan error, and the byte of the parsed text it is at.
fn scan_error(err: &ScanError, offsets: &mut Offsets<'_>) -> (InputError, usize) {
    let raw = offsets.byte(err.marker().index());
    let mut at = raw;
    // saphyr marks the start of the scalar before an offending tab; point at the tab.
    if err.info().contains("tab") {
        if let Some(tab) = offsets.text[at..].find('\t') {
            at += tab;
        }
    }
    let at = offsets.original(at);
    let span = Some(Span::new(at, at));
    if err.info().contains("recursion limit") {
        return (
            InputError::new(
                "nesting-too-deep",
                "document nests too deeply for the YAML parser; this is not a realistic configuration",
                span,
            ),
            raw,
        );
    }
    (
        InputError::new(
            "yaml-parse-error",
            format!("invalid YAML: {}", err.info()),
            span,
        ),
        raw,
    )
}

/// Most lines re-indented in one file before giving up (see [`load`]).
const MAX_INDENT_FIXES: usize = 200;

/// Reads every document of a YAML stream.
///
/// saphyr follows YAML 1.2's indentation rules to the letter, while PyYAML,
/// go-yaml (kubectl) and CloudFormation accept a closing `]` or the next line
/// of a quoted scalar at the indentation of its key. Real templates do that,
/// so when saphyr reports invalid indentation the offending line is indented
/// by one more space in a working copy and the stream is read again (at most
/// [`MAX_INDENT_FIXES`] times). Leading spaces of such lines carry no meaning,
/// so the values do not change; spans are moved back onto the original text,
/// and a `yaml-indentation` notice says which lines were accepted this way.
pub(super) fn load(source: &Arc<SourceFile>, limits: Limits) -> Result<Loaded, InputError> {
    let mut text = Cow::Borrowed(source.text());
    let mut inserted: Vec<usize> = Vec::new();
    let mut first_error = None;
    loop {
        match load_text(source, &text, &inserted, limits) {
            Ok(mut loaded) => {
                if let Some(&first) = inserted.iter().min() {
                    let offsets = Offsets::new(&text, &inserted);
                    let at = offsets.original(first);
                    loaded.notices.push(Notice {
                        code: "yaml-indentation",
                        message: format!(
                            "{} line(s) from here are less indented than YAML 1.2 requires; \
                             accepted as PyYAML, kubectl and CloudFormation accept them",
                            inserted.len()
                        ),
                        span: Span::new(at, at),
                    });
                }
                return Ok(loaded);
            }
            Err((error, raw)) => {
                let fixable = error.code == "yaml-parse-error"
                    && error.message.contains("invalid indentation")
                    && inserted.len() < MAX_INDENT_FIXES;
                let first = first_error.get_or_insert(error);
                if !fixable {
                    return Err(first.clone());
                }
                let Some(line_start) = line_to_indent(&text, raw, &first.message) else {
                    return Err(first.clone());
                };
                for p in inserted.iter_mut() {
                    if *p >= line_start {
                        *p += 1;
                    }
                }
                inserted.push(line_start);
                inserted.sort_unstable();
                text.to_mut().insert(line_start, ' ');
            }
        }
    }
}

/// The start of the line to indent one more space for an indentation error at
/// byte `at`: that line, or for a quoted scalar (whose error points at where the
/// scalar starts) the first later line indented no deeper than the scalar's key.
fn line_to_indent(text: &str, at: usize, message: &str) -> Option<usize> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    if !message.contains("quoted scalar") {
        return Some(start);
    }
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let key_indent = indent(&text[start..]);
    let mut offset = start + text[start..].find('\n')? + 1;
    for line in text[offset..].split_inclusive('\n') {
        if !line.trim().is_empty() && indent(line) <= key_indent {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Reads the documents of `text` (the source's text, with `inserted` spaces).
fn load_text(
    source: &Arc<SourceFile>,
    text: &str,
    inserted: &[usize],
    limits: Limits,
) -> Result<Loaded, (InputError, usize)> {
    let mut offsets = Offsets::new(text, inserted);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        root: None,
    };
    let mut loaded = Loaded::default();
    let mut index = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(&e, &mut offsets))?;
        let span = offsets.span(span);
        match event {
            Event::DocumentStart(_) => {
                index += 1;
                builder.root = None;
                builder.anchors.clear();
            }
            Event::DocumentEnd => {
                if let Some(root) = builder.root.take() {
                    document(source, index, &root, &mut loaded).map_err(|e| (e, 0))?;
                }
            }
            other => builder.event(other, span).map_err(|e| (e, 0))?,
        }
    }
    Ok(loaded)
}

/// Resolves one tree into a document (or the items of a list) with positions.
/// The format is decided on the tree, before scalars and tags are resolved:
/// Kubernetes objects read YAML 1.1 scalars, CloudFormation templates turn
/// their short-form tags into long forms (an unknown tag is an error).
fn document(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::PathSegment;
    use serde_json::json;

    fn load_str(text: &str) -> Result<Loaded, InputError> {
        load(&SourceFile::new("t.yaml", text), Limits::default())
    }

    #[test]
    fn yaml12_for_plain_documents_yaml11_booleans_for_kubernetes() {
        let plain = load_str("a: yes\nb: 2010-09-09\nc: 0644\nd: 1.5\ne: ~\nf: '1'").unwrap();
        assert_eq!(
            plain.documents[0].value,
            json!({"a": "yes", "b": "2010-09-09", "c": 644, "d": 1.5, "e": null, "f": "1"})
        );
        let k8s = load_str("apiVersion: v1\nkind: X\nx: on\ny: 0644\nz: \"on\"").unwrap();
        assert_eq!(k8s.documents[0].format, Format::Kubernetes);
        assert_eq!(k8s.documents[0].value["x"], json!(true));
        assert_eq!(k8s.documents[0].value["y"], json!(420));
        assert_eq!(k8s.documents[0].value["z"], json!("on"));
    }

    #[test]
    fn positions_point_at_keys_and_nearest_ancestor() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: a\n      image: nginx\n";
        let loaded = load_str(text).unwrap();
        let doc = &loaded.documents[0];
        let path = PathSegment::parse_path(&json!(["spec", "containers", 0, "image"])).unwrap();
        let (span, exact) = doc.locate(Some(&path));
        assert!(exact);
        assert_eq!(&text[span.start..span.end], "image: nginx");
        let missing =
            PathSegment::parse_path(&json!(["spec", "containers", 0, "resources", "limits"]))
                .unwrap();
        let (span, exact) = doc.locate(Some(&missing));
        assert!(!exact);
        assert!(text[span.start..].starts_with("name: a"));
        let (span, _) = doc.locate(None);
        assert_eq!(&text[span.start..span.end], "name: web");
    }

    #[test]
    fn lists_anchors_merges_and_duplicates() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: A\n  metadata: &m {name: a}\n- apiVersion: v1\n  kind: B\n  metadata:\n    <<: *m\n    name: b\n    name: c\n";
        let loaded = load_str(text).unwrap();
        assert_eq!(loaded.documents.len(), 2);
        assert_eq!(loaded.documents[1].value["metadata"], json!({"name": "c"}));
        assert_eq!(loaded.documents[1].base, "/items/1");
        assert_eq!(loaded.notices.len(), 1);
        assert_eq!(loaded.notices[0].code, "duplicate-key");
    }

    #[test]
    fn bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            bomb.push_str(&format!("{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert_eq!(load_str(&bomb).unwrap_err().code, "yaml-alias-bomb");
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(load_str(&deep).unwrap_err().code, "nesting-too-deep");
    }

    #[test]
    fn empty_documents_are_skipped_and_errors_have_positions() {
        assert_eq!(
            load_str("---\n# only a comment\n---\n")
                .unwrap()
                .documents
                .len(),
            0
        );
        let err = load_str("a: 1\nb: [1, 2\n").unwrap_err();
        assert_eq!(err.code, "yaml-parse-error");
        assert!(err.span.is_some());
    }
}
