//! Globs as users write them in `--exclude`, `railyard.toml` and waivers:
//! `*` stays within one path segment, `**` crosses them, and a pattern that
//! does not start with `/` matches at any depth (`vendor/**` excludes
//! `deploy/vendor/x.yaml` too), as in `.gitignore`.

use globset::{GlobBuilder, GlobMatcher};

/// A compiled glob, with the text it came from.
#[derive(Debug, Clone)]
pub struct Glob {
    text: String,
    matcher: GlobMatcher,
    anchored: bool,
}

impl Glob {
    /// Compiles `pattern`; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let anchored = pattern.starts_with('/');
        let matcher = GlobBuilder::new(pattern.trim_start_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))?
            .compile_matcher();
        Ok(Glob {
            text: pattern.to_owned(),
            matcher,
            anchored,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether a whole value (a kind, a name) matches.
    pub fn matches(&self, value: &str) -> bool {
        self.matcher.is_match(value)
    }

    /// Whether a path matches: whole, or (unless anchored) from any `/` on.
    pub fn matches_path(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        if self.matcher.is_match(path) {
            return true;
        }
        !self.anchored
            && path
                .match_indices('/')
                .any(|(i, _)| self.matcher.is_match(&path[i + 1..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanchored_patterns_match_at_any_depth_and_star_stays_in_a_segment() {
        let vendor = Glob::new("vendor/**").expect("valid");
        assert!(vendor.matches_path("vendor/a.yaml"));
        assert!(vendor.matches_path("./deploy/vendor/x/a.yaml"));
        assert!(!vendor.matches_path("deploy/vendors/a.yaml"));
        let star = Glob::new("deploy/*.yaml").expect("valid");
        assert!(star.matches_path("deploy/a.yaml"));
        assert!(!star.matches_path("deploy/sub/a.yaml"));
        let anchored = Glob::new("/deploy/*.yaml").expect("valid");
        assert!(!anchored.matches_path("repo/deploy/a.yaml"));
        assert!(Glob::new("web-*").expect("valid").matches("web-frontend"));
        assert!(Glob::new("a[").is_err());
    }
}
