//! `regex.globs_match`: whether two glob-like patterns have a non-empty string
//! in common. The syntax is OPA's (from the Go package glob-intersection):
//! `.` any character, `[a-z]` a character class (no negation: `^` is a plain
//! character), `*` and `+` after a character or class, `\` escaping the next
//! character; every other character stands for itself, and patterns are
//! anchored at both ends.
//!
//! OPA's library decides by a heuristic walk over the patterns; Railyard
//! decides exactly, by searching the product of the two patterns' automata
//! (linear in the product of their lengths). Like OPA, two empty patterns
//! match, and patterns that share only the empty string do not.

use std::collections::{HashSet, VecDeque};

use anyhow::{anyhow, Result};
use regorus::Value;

use super::string_arg;

/// A set of characters: any character, or inclusive ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    Any,
    Ranges(Vec<(char, char)>),
}

impl Class {
    fn overlaps(&self, other: &Class) -> bool {
        match (self, other) {
            (Class::Any, Class::Ranges(r)) | (Class::Ranges(r), Class::Any) => !r.is_empty(),
            (Class::Any, Class::Any) => true,
            (Class::Ranges(a), Class::Ranges(b)) => a
                .iter()
                .any(|&(lo, hi)| b.iter().any(|&(l, h)| lo <= h && l <= hi)),
        }
    }
}

/// One step of a pattern: a class matched once, or any number of times (`*`).
/// `x+` is stored as `x` followed by `x*`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    class: Class,
    repeat: bool,
}

pub(super) fn globs_match(args: &[Value]) -> Result<Value> {
    let a = parse(string_arg(args, 0)?)?;
    let b = parse(string_arg(args, 1)?)?;
    Ok(Value::from(
        (a.is_empty() && b.is_empty()) || share_non_empty_string(&a, &b),
    ))
}

fn parse(glob: &str) -> Result<Vec<Step>> {
    let chars: Vec<char> = glob.chars().collect();
    // OPA's messages, with its 1-based (or, for a trailing `\`, 0-based) positions.
    let invalid = |pos: usize, message: String| {
        anyhow!("input:{glob}, pos:{pos}, {message}: the input provided is invalid")
    };
    // The character at `i`, whether it was escaped, and the index after it.
    let next = |i: usize| -> Result<(char, bool, usize)> {
        match chars.get(i) {
            Some('\\') => match chars.get(i + 1) {
                Some(&c) => Ok((c, true, i + 2)),
                None => Err(invalid(i, "input ends with a \\ (escape) character".into())),
            },
            Some(&c) => Ok((c, false, i + 1)),
            None => Err(invalid(i, "found [ without matching ]".into())),
        }
    };
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (c, escaped, after) = next(i)?;
        i = after;
        let class = match c {
            _ if escaped => Class::Ranges(vec![(c, c)]),
            '.' => Class::Any,
            ']' => return Err(invalid(i, "set-close ']' with no preceding '['".into())),
            '*' | '+' => {
                return Err(invalid(
                    i,
                    format!("flag '{c}' must be preceded by a non-flag"),
                ))
            }
            '[' => {
                let mut ranges = Vec::new();
                let mut previous = None;
                loop {
                    let (c, escaped, after) = next(i)?;
                    i = after;
                    match c {
                        ']' if !escaped => break,
                        '-' if !escaped => {
                            let Some(low) = previous.take() else {
                                return Err(invalid(
                                    i,
                                    "range character '-' must be preceded by a Unicode character"
                                        .into(),
                                ));
                            };
                            if i + 1 >= chars.len() {
                                return Err(invalid(
                                    i,
                                    "range character '-' must be followed by a Unicode character"
                                        .into(),
                                ));
                            }
                            let (high, escaped, after) = next(i)?;
                            i = after;
                            if !escaped && (high == ']' || high == '-') {
                                return Err(invalid(
                                    i,
                                    "range character '-' cannot be followed by a special symbol"
                                        .into(),
                                ));
                            }
                            if high < low {
                                return Err(invalid(
                                    i,
                                    format!("range is out of order: '{high}' comes before '{low}' in Unicode"),
                                ));
                            }
                            ranges.push((low, high));
                        }
                        _ => {
                            ranges.push((c, c));
                            previous = Some(c);
                        }
                    }
                }
                Class::Ranges(ranges)
            }
            _ => Class::Ranges(vec![(c, c)]),
        };
        match chars.get(i) {
            Some('*') => {
                i += 1;
                steps.push(Step {
                    class,
                    repeat: true,
                });
            }
            Some('+') => {
                i += 1;
                steps.push(Step {
                    class: class.clone(),
                    repeat: false,
                });
                steps.push(Step {
                    class,
                    repeat: true,
                });
            }
            _ => steps.push(Step {
                class,
                repeat: false,
            }),
        }
    }
    Ok(steps)
}

/// Breadth-first search over pairs of positions (and whether a character was
/// read yet) for a string both patterns match completely.
fn share_non_empty_string(a: &[Step], b: &[Step]) -> bool {
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    let mut visit = |state: (usize, usize, bool), queue: &mut VecDeque<_>| {
        if seen.insert(state) {
            queue.push_back(state);
        }
    };
    visit((0, 0, false), &mut queue);
    while let Some((i, j, read)) = queue.pop_front() {
        if i == a.len() && j == b.len() && read {
            return true;
        }
        // A repeated step may also match nothing.
        if a.get(i).is_some_and(|s| s.repeat) {
            visit((i + 1, j, read), &mut queue);
        }
        if b.get(j).is_some_and(|s| s.repeat) {
            visit((i, j + 1, read), &mut queue);
        }
        if let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            if x.class.overlaps(&y.class) {
                let i2 = if x.repeat { i } else { i + 1 };
                let j2 = if y.repeat { j } else { j + 1 };
                visit((i2, j2, true), &mut queue);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::tests::{error, eval};
    use super::*;

    fn matches(a: &str, b: &str) -> bool {
        let (a, b) = (parse(a).unwrap(), parse(b).unwrap());
        (a.is_empty() && b.is_empty()) || share_non_empty_string(&a, &b)
    }

    #[test]
    fn intersections() {
        assert!(matches("a.a.", ".b.b"));
        assert!(!matches("[a-z]+", "[0-9]*"));
        assert!(!matches("a*", "b*"), "only the empty string is shared");
        assert!(matches("", ""));
        assert!(!matches(".*", ""));
        assert!(matches("a+b+", "a*b"));
        assert!(matches("[^a]", "a"), "^ is a plain character");
        assert!(matches("\\.", ".") && !matches("\\.", "a"));
        assert!(!matches("[]", "."), "an empty class matches nothing");
        assert!(matches("x*ab*y", "xa*b*y"));
        assert!(!matches("a.*z", "b.*"));
    }

    #[test]
    fn invalid_patterns_are_errors_with_opa_positions() {
        for (glob, message) in [
            (
                "*",
                "input:*, pos:1, flag '*' must be preceded by a non-flag",
            ),
            (
                "a**",
                "input:a**, pos:3, flag '*' must be preceded by a non-flag",
            ),
            ("a]", "input:a], pos:2, set-close ']' with no preceding '['"),
            (
                "a\\\\",
                "input:a\\, pos:1, input ends with a \\ (escape) character",
            ),
            (
                "[a-",
                "input:[a-, pos:3, range character '-' must be followed by a Unicode character",
            ),
            (
                "[-a]",
                "input:[-a], pos:2, range character '-' must be preceded by a Unicode character",
            ),
            (
                "[z-a]",
                "input:[z-a], pos:4, range is out of order: 'a' comes before 'z' in Unicode",
            ),
            ("[ab", "found [ without matching ]"),
        ] {
            let got = error(&format!("regex.globs_match(\"{glob}\", \"a\")"));
            assert!(got.contains(message), "{glob}: {got}");
            assert!(got.contains("the input provided is invalid"), "{got}");
        }
        assert_eq!(
            eval(r#"regex.globs_match("[a\\-z]", "-")"#).unwrap(),
            Value::from(true)
        );
    }
}
