//! Source files as the user wrote them: decoding (BOMs, UTF-16), byte spans and
//! the line index that turns a span into a 1-based line and column when rendered.

use std::sync::Arc;

/// A half-open byte range `[start, end)` in a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given in the wrong order).
    pub fn new(start: usize, end: usize) -> Self {
        if end < start {
            Self {
                start: end,
                end: start,
            }
        } else {
            Self { start, end }
        }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The text of one input, with its display name and a line index computed once.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps already-decoded text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let mut line_starts = vec![0];
        // CRLF counts as one break: the '\n' ends the line either way.
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Arc::new(Self {
            name: name.into(),
            text,
            line_starts,
        })
    }

    /// The name shown to users (a path relative to where they ran the command, or `<stdin>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of lines (a trailing newline does not start a new line).
    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// Byte range of a 1-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        if start > self.text.len() || (start == self.text.len() && line > 1) {
            return None;
        }
        let mut end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end.max(start))
    }

    /// Byte offset of a 1-based line and 1-based character column.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(range) = self.line_range(line) else {
            return self.text.len();
        };
        let line_text = &self.text[range.start..range.end];
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        range.start + within
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Why raw bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("file is not valid UTF-8 (invalid byte sequence at line {line}, byte offset {offset}); re-encode it as UTF-8")]
pub struct DecodeError {
    /// Byte offset of the first invalid sequence.
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: usize,
}

/// Decodes a file's bytes: UTF-8 (a BOM is skipped) or UTF-16 with a BOM,
/// which is what Windows shells write for `terraform show -json > plan.json`.
pub fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest.to_vec());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(&bytes[2..], u16::from_le_bytes);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(&bytes[2..], u16::from_be_bytes);
    }
    utf8(bytes)
}

fn utf8(bytes: Vec<u8>) -> Result<String, DecodeError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        DecodeError { offset, line }
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units = bytes.chunks(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        // An odd trailing byte cannot be a UTF-16 unit; decode it as the replacement char's
        // lone surrogate so the error below reports it.
        _ => 0xD800,
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    for (i, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                out.push(c);
            }
            Err(_) => {
                return Err(DecodeError {
                    offset: 2 + i * 2,
                    line,
                })
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_crlf_once() {
        let f = SourceFile::new("x", "a: 1\r\nbé: 2\nc: 3");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let c = f.text().find("c:").unwrap();
        assert_eq!(f.line_col(c), LineCol { line: 3, column: 1 });
        let two = f.text().find('2').unwrap();
        assert_eq!(f.line_col(two), LineCol { line: 2, column: 5 });
        assert_eq!(&f.text()[f.line_range(1).unwrap()], "a: 1");
        assert_eq!(f.offset_of(2, 5), two);
    }

    #[test]
    fn decodes_boms_and_rejects_invalid_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), "a: 1");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("k: v".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(utf16).unwrap(), "k: v");
        let err = decode(b"a: 1\nb: \xE9t\xE9\n".to_vec()).unwrap_err();
        assert_eq!(err.line, 2);
    }
}
