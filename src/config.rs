//! `railyard.toml`: the settings a repository keeps next to its policies, so
//! that `policy check` in CI, on a laptop and `policy serve` agree without a
//! wall of flags. Found in the current directory or the nearest parent (or
//! given with `--config`); flags override it. Paths in it are relative to the
//! file's own directory, wherever the command runs from.
//!
//! Unknown keys and bad values are errors that point at the line in the file:
//! a misspelt `fail_on` that silently did nothing would be worse than none.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use serde::Deserialize;
use toml::Spanned;

use crate::engine::{EngineKind, Severity};
use crate::finding::CheckError;
use crate::report::OutputSpec;
use crate::source::{self, SourceFile, Span};

/// The file name looked for.
pub const FILE_NAME: &str = "railyard.toml";

/// When `policy check` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Any failure.
    Failure,
    /// Any failure or warning.
    Warning,
    /// Never (errors still exit 2).
    Never,
}

/// Which evaluator runs the rules (`engine`, `--engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineChoice {
    /// regorus' bytecode VM for the rule groups that compile to it, the interpreter for the others.
    Vm,
    /// regorus' interpreter for every rule (the reference; slower).
    Interpreter,
}

impl From<EngineChoice> for EngineKind {
    fn from(choice: EngineChoice) -> EngineKind {
        match choice {
            EngineChoice::Vm => EngineKind::Vm,
            EngineChoice::Interpreter => EngineKind::Interpreter,
        }
    }
}

/// What the webhook does with failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServeMode {
    /// Deny requests with failures (403); warnings are returned as warnings.
    Enforce,
    /// Allow; failures and warnings are returned as warnings.
    Warn,
    /// Allow silently; decisions are only logged and counted.
    Dryrun,
}

/// The webhook's answer when a request cannot be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailurePolicy {
    /// Deny (code 500) when a request cannot be evaluated (fail closed).
    Deny,
    /// Allow with a warning when a request cannot be evaluated (fail open).
    Allow,
}

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    policy: Vec<String>,
    #[serde(default)]
    data: Vec<String>,
    waivers: Option<String>,
    #[serde(default)]
    namespaces: Vec<String>,
    #[serde(default)]
    check: CheckSection,
    #[serde(default)]
    serve: ServeSection,
}

/// `[check]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CheckSection {
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    output: Vec<Spanned<String>>,
    fail_on: Option<FailOn>,
    severity_threshold: Option<Spanned<String>>,
    combine: Option<bool>,
    timeout: Option<Spanned<f64>>,
    tf_source: Option<String>,
    jobs: Option<usize>,
    engine: Option<EngineChoice>,
}

/// `[serve]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ServeSection {
    mode: Option<ServeMode>,
    failure_mode: Option<FailurePolicy>,
    exempt_namespaces: Option<Vec<String>>,
    #[serde(default)]
    warn_only: Vec<String>,
    timeout: Option<Spanned<f64>>,
    max_body_bytes: Option<usize>,
    concurrency: Option<usize>,
    max_queue: Option<usize>,
    decision_cache: Option<usize>,
    reload_interval: Option<Spanned<f64>>,
    engine: Option<EngineChoice>,
}

/// Settings read from a `railyard.toml`, paths resolved against its directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file it came from (`None` when there was none).
    pub file: Option<PathBuf>,
    /// Policy directories or files.
    pub policy: Vec<PathBuf>,
    /// Data files or directories.
    pub data: Vec<PathBuf>,
    /// The waiver file.
    pub waivers: Option<PathBuf>,
    /// Rego packages whose rules run (prefixes; empty = all).
    pub namespaces: Vec<String>,
    /// `[check]`.
    pub check: CheckConfig,
    /// `[serve]`.
    pub serve: ServeConfig,
}

/// `[check]` settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckConfig {
    /// Globs of input paths not checked.
    pub exclude: Vec<String>,
    /// Outputs, as `-o` takes them (paths resolved).
    pub output: Vec<OutputSpec>,
    /// When the run exits 1.
    pub fail_on: Option<FailOn>,
    /// Lowest severity that fails the run.
    pub severity_threshold: Option<Severity>,
    /// `--combine`.
    pub combine: Option<bool>,
    /// Evaluation deadline per document, in seconds.
    pub timeout: Option<f64>,
    /// `--tf-source`.
    pub tf_source: Option<PathBuf>,
    /// Worker threads.
    pub jobs: Option<usize>,
    /// The evaluator.
    pub engine: Option<EngineChoice>,
}

/// `[serve]` settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServeConfig {
    /// Enforcement mode.
    pub mode: Option<ServeMode>,
    /// The answer when evaluation fails.
    pub failure_mode: Option<FailurePolicy>,
    /// Namespaces never evaluated (replaces the default).
    pub exempt_namespaces: Option<Vec<String>>,
    /// Rule ids whose failures only warn.
    pub warn_only: Vec<String>,
    /// Evaluation deadline per request, in seconds.
    pub timeout: Option<f64>,
    /// Largest request body, in bytes.
    pub max_body_bytes: Option<usize>,
    /// Evaluations at once.
    pub concurrency: Option<usize>,
    /// Requests waiting beyond those running.
    pub max_queue: Option<usize>,
    /// Verdicts remembered for identical objects.
    pub decision_cache: Option<usize>,
    /// Seconds between change checks of policy and certificate files.
    pub reload_interval: Option<f64>,
    /// The evaluator.
    pub engine: Option<EngineChoice>,
}

/// Finds the configuration: `explicit` when given (it must exist), else the
/// nearest `railyard.toml` from `start` upwards; no file gives the defaults.
pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Config, Vec<CheckError>> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
        {
            Some(found) => found,
            None => return Ok(Config::default()),
        },
    };
    let name = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| {
        vec![CheckError::file(
            &name,
            "config-unreadable",
            format!("cannot read the configuration: {e}"),
        )]
    })?;
    let text = source::decode(bytes)
        .map_err(|e| vec![CheckError::file(&name, "config-invalid", e.to_string())])?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse(&SourceFile::new(name, text), &dir).map(|mut config| {
        config.file = Some(path);
        config
    })
}

/// Parses the text of a configuration file whose paths are relative to `dir`.
pub fn parse(source: &Arc<SourceFile>, dir: &Path) -> Result<Config, Vec<CheckError>> {
    let file: File = toml::from_str(source.text()).map_err(|e| {
        let span = e
            .span()
            .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
        vec![CheckError::at(
            source,
            span,
            "config-invalid",
            e.message().trim().to_owned(),
        )]
    })?;
    let mut errors = Vec::new();
    let resolve = |p: &str| {
        if p.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(p)
        }
    };
    let check = &file.check;
    let mut output = Vec::new();
    for spec in &check.output {
        // Validated as `-o` validates it, so that a typo points at its line here.
        match spec.get_ref().parse::<OutputSpec>() {
            Ok(mut parsed) => {
                parsed.path = parsed.path.map(|p| dir.join(p));
                output.push(parsed);
            }
            Err(why) => errors.push(at(source, spec.span(), why)),
        }
    }
    let severity_threshold = check.severity_threshold.as_ref().and_then(|s| {
        s.get_ref()
            .parse::<Severity>()
            .map_err(|why| errors.push(at(source, s.span(), why)))
            .ok()
    });
    let mut seconds = |value: &Option<Spanned<f64>>, allow_zero: bool| {
        let value = value.as_ref()?;
        let v = *value.get_ref();
        if v.is_finite() && (v > 0.0 || (allow_zero && v == 0.0)) {
            Some(v)
        } else {
            let expected = if allow_zero {
                "zero or a positive number of seconds"
            } else {
                "a positive number of seconds"
            };
            errors.push(at(source, value.span(), format!("expected {expected}")));
            None
        }
    };
    let check_timeout = seconds(&check.timeout, false);
    let serve_timeout = seconds(&file.serve.timeout, false);
    let reload_interval = seconds(&file.serve.reload_interval, true);
    if !errors.is_empty() {
        return Err(errors);
    }
    let serve = file.serve;
    Ok(Config {
        file: None,
        policy: file.policy.iter().map(|p| resolve(p)).collect(),
        data: file.data.iter().map(|p| resolve(p)).collect(),
        waivers: file.waivers.as_deref().map(resolve),
        namespaces: file.namespaces,
        check: CheckConfig {
            exclude: file.check.exclude,
            output,
            fail_on: file.check.fail_on,
            severity_threshold,
            combine: file.check.combine,
            timeout: check_timeout,
            tf_source: file.check.tf_source.as_deref().map(resolve),
            jobs: file.check.jobs,
            engine: file.check.engine,
        },
        serve: ServeConfig {
            mode: serve.mode,
            failure_mode: serve.failure_mode,
            exempt_namespaces: serve.exempt_namespaces,
            warn_only: serve.warn_only,
            timeout: serve_timeout,
            max_body_bytes: serve.max_body_bytes,
            concurrency: serve.concurrency,
            max_queue: serve.max_queue,
            decision_cache: serve.decision_cache,
            reload_interval,
            engine: serve.engine,
        },
    })
}

fn at(source: &SourceFile, range: std::ops::Range<usize>, message: String) -> CheckError {
    CheckError::at(
        source,
        Span::new(range.start, range.end),
        "config-invalid",
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config, Vec<CheckError>> {
        parse(
            &SourceFile::new("railyard.toml".to_owned(), text.to_owned()),
            Path::new("/repo"),
        )
    }

    #[test]
    fn paths_are_relative_to_the_file_and_sections_are_read() {
        let config = parse_text(
            "policy = [\"policies\"]\nwaivers = \"waivers.yaml\"\nnamespaces = [\"main\"]\n\n[check]\nfail-on = \"warning\"\noutput = [\"human\", \"sarif=out/r.sarif\"]\nseverity-threshold = \"high\"\ncombine = true\nengine = \"vm\"\n\n[serve]\nmode = \"warn\"\nreload-interval = 0\nengine = \"interpreter\"\n",
        )
        .expect("valid configuration");
        assert_eq!(config.policy, vec![PathBuf::from("/repo/policies")]);
        assert_eq!(config.waivers, Some(PathBuf::from("/repo/waivers.yaml")));
        assert_eq!(config.check.fail_on, Some(FailOn::Warning));
        let outputs: Vec<_> = config.check.output.iter().map(|o| o.path.clone()).collect();
        assert_eq!(
            outputs,
            vec![None, Some(PathBuf::from("/repo/out/r.sarif"))]
        );
        assert_eq!(config.check.severity_threshold, Some(Severity::High));
        assert_eq!(config.check.combine, Some(true));
        assert_eq!(config.serve.mode, Some(ServeMode::Warn));
        assert_eq!(config.serve.reload_interval, Some(0.0));
        assert_eq!(config.check.engine, Some(EngineChoice::Vm));
        assert_eq!(config.serve.engine, Some(EngineChoice::Interpreter));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_their_line() {
        let errors = parse_text("policy = [\"p\"]\n\n[check]\nfail_on = \"warning\"\n")
            .expect_err("misspelt key");
        assert_eq!(errors[0].line, Some(4), "{errors:?}");
        assert!(errors[0].message.contains("fail_on"), "{errors:?}");

        let errors = parse_text("[check]\nfail-on = \"sometimes\"\n").expect_err("bad enum");
        assert_eq!(errors[0].line, Some(2), "{errors:?}");

        let errors =
            parse_text("[serve]\nmode = \"warn\"\nengine = \"jit\"\n").expect_err("bad engine");
        assert_eq!(errors[0].line, Some(3), "{errors:?}");

        let errors = parse_text("[check]\nseverity-threshold = \"urgent\"\ntimeout = -1.0\n")
            .expect_err("bad severity and timeout");
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3)], "{errors:?}");
        assert!(errors.iter().all(|e| e.code == "config-invalid"));
    }

    #[test]
    fn discovery_walks_up_and_an_explicit_missing_file_is_an_error() {
        let root = std::env::temp_dir().join(format!("railyard-config-{}", std::process::id()));
        let nested = root.join("a/b");
        std::fs::create_dir_all(&nested).expect("temp dir");
        std::fs::write(root.join(FILE_NAME), "policy = [\"rules\"]\n").expect("write config");
        let found = discover(None, &nested).expect("found above");
        assert_eq!(found.policy, vec![root.join("rules")]);
        assert_eq!(found.file, Some(root.join(FILE_NAME)));
        let missing = discover(Some(&root.join("nope.toml")), &nested).expect_err("missing");
        assert_eq!(missing[0].code, "config-unreadable");
        std::fs::remove_dir_all(&root).ok();
    }
}
