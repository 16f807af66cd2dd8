//! File names as URI references, for reports that link files (SARIF): `/`
//! separators, percent-encoding, and paths relative to the working directory
//! where possible, since CI systems resolve them against the repository root.

use std::path::{Path, PathBuf};

/// Turns the file names of a report into URI references.
pub struct Paths<'a> {
    /// The working directory, to make absolute paths under it relative.
    base: Option<&'a Path>,
}

impl<'a> Paths<'a> {
    /// Paths relative to `base` (the working directory), when known.
    pub fn new(base: Option<&'a Path>) -> Self {
        Paths { base }
    }

    /// A URI reference for a file name, and whether it is relative.
    pub fn uri(&self, file: &str) -> (String, bool) {
        let path = PathBuf::from(file);
        let under_base = self
            .base
            .filter(|_| path.is_absolute())
            .and_then(|base| path.strip_prefix(base).ok())
            .map(|p| p.to_string_lossy().into_owned());
        match under_base {
            Some(rel) => (encode_path(&rel), true),
            None if path.is_absolute() => {
                let slashed = file.replace('\\', "/");
                let rooted = if slashed.starts_with('/') {
                    slashed
                } else {
                    format!("/{slashed}")
                };
                (format!("file://{}", encode_path(&rooted)), false)
            }
            None => (encode_path(file), true),
        }
    }
}

/// Percent-encodes a path for a URI: `/` separators (also from `\`), no `./`
/// prefix, and every byte outside the unreserved and path characters encoded
/// (`:` too, so that a first segment never reads as a scheme).
fn encode_path(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let mut out = String::with_capacity(rest.len());
    for byte in rest.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(base: &str) -> Paths<'_> {
        Paths::new(Some(Path::new(base)))
    }

    #[test]
    fn relative_paths_stay_relative_and_are_encoded() {
        let p = paths("/repo");
        assert_eq!(
            p.uri("deploy/app.yaml"),
            ("deploy/app.yaml".to_owned(), true)
        );
        assert_eq!(
            p.uri("./deploy/my app.yaml"),
            ("deploy/my%20app.yaml".to_owned(), true)
        );
        assert_eq!(p.uri("<stdin>"), ("%3Cstdin%3E".to_owned(), true));
        assert_eq!(p.uri("a:b.yaml"), ("a%3Ab.yaml".to_owned(), true));
        assert_eq!(p.uri("dir\\x.yaml"), ("dir/x.yaml".to_owned(), true));
        assert_eq!(p.uri("é.yaml"), ("%C3%A9.yaml".to_owned(), true));
    }

    #[test]
    fn absolute_paths_under_the_working_directory_become_relative() {
        let p = paths("/repo");
        assert_eq!(
            p.uri("/repo/deploy/app.yaml"),
            ("deploy/app.yaml".to_owned(), true)
        );
        assert_eq!(
            p.uri("/elsewhere/app.yaml"),
            ("file:///elsewhere/app.yaml".to_owned(), false)
        );
    }
}
