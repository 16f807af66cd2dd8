//! The YAML reader: saphyr's event parser (YAML 1.2) turned into documents with
//! positions. It builds its own tree so that it can bound alias expansion and
//! nesting, keep tags, report duplicate keys, and resolve plain scalars per format
//! (Kubernetes objects read `yes`/`no`/`on`/`off` and `0644` as `kubectl` does).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

mod resolve;

use resolve::document;

use super::{cloudformation, InputError, Limits, Loaded, Notice};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Format, PathSegment};
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
