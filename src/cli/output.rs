//! Where `policy check` writes its reports: `-o FORMAT[=PATH]`, repeatable.
//! Without `=PATH` (or with `=-`) a report goes to stdout, and at most one
//! may. Files are created before anything is evaluated, so that a path that
//! cannot be written stops the run at once (exit 2) instead of after a long
//! check; a report in a file is never mixed with what goes to stdout.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;

use super::emit;
use crate::check::Report;
use crate::finding::CheckError;
pub use crate::report::OutputSpec;
use crate::report::{self, Context, Format, Style};

/// Parses `-o` values for clap, listing the formats for help and completions.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputSpecParser;

impl TypedValueParser for OutputSpecParser {
    type Value = OutputSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<OutputSpec, clap::Error> {
        let fail = |why: String| {
            let flag = arg.map_or_else(|| "--output".to_owned(), |a| a.to_string());
            clap::Error::raw(
                ErrorKind::InvalidValue,
                format!(
                    "invalid value '{}' for '{flag}': {why}\n",
                    value.to_string_lossy()
                ),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| fail("the value is not valid UTF-8".to_owned()))?;
        text.parse().map_err(fail)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Format::ALL.into_iter().map(|f| {
            let help = match f {
                Format::Human => "code frames and a summary line, the default",
                Format::Json => "the versioned JSON report",
                Format::Sarif => "SARIF 2.1.0 for code scanning",
                Format::Junit => "JUnit XML for test-report views",
                Format::Github => "GitHub Actions annotations",
            };
            PossibleValue::new(f.as_str()).help(help)
        })))
    }
}

enum Sink {
    Stdout,
    File { path: PathBuf, file: File },
}

/// An output whose file (if any) is already created.
pub struct Output {
    format: Format,
    sink: Sink,
}

impl Output {
    /// The format of this output.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether it goes to stdout.
    pub fn is_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout)
    }
}

/// The real paths of the output files, so that a run over `.` does not check
/// the (still empty) report it is about to write.
pub fn file_paths(outputs: &[Output]) -> Vec<PathBuf> {
    outputs
        .iter()
        .filter_map(|o| match &o.sink {
            Sink::File { path, .. } => std::fs::canonicalize(path).ok(),
            Sink::Stdout => None,
        })
        .collect()
}

/// Checks the specs (at most one to stdout, no file twice) and creates the
/// files, truncating them. Errors name the flag or the file.
pub fn open(specs: &[OutputSpec]) -> Result<Vec<Output>, Vec<CheckError>> {
    let to_stdout: Vec<&str> = specs
        .iter()
        .filter(|s| s.path.is_none())
        .map(|s| s.format.as_str())
        .collect();
    if to_stdout.len() > 1 {
        return Err(vec![CheckError::file(
            "--output",
            "bad-flag",
            format!(
                "{} outputs go to stdout ({}); at most one may: write the others to files with FORMAT=PATH",
                to_stdout.len(),
                to_stdout.join(", ")
            ),
        )]);
    }
    let mut outputs = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut errors = Vec::new();
    for spec in specs {
        let Some(path) = &spec.path else {
            outputs.push(Output {
                format: spec.format,
                sink: Sink::Stdout,
            });
            continue;
        };
        let name = path.display().to_string();
        match File::create(path) {
            Ok(file) => {
                // Compare real paths, so that `a.xml` and `./a.xml` are one file.
                let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                if seen.contains(&real) {
                    errors.push(CheckError::file(
                        &name,
                        "bad-flag",
                        "two outputs write to the same file",
                    ));
                    continue;
                }
                seen.push(real);
                outputs.push(Output {
                    format: spec.format,
                    sink: Sink::File {
                        path: path.clone(),
                        file,
                    },
                });
            }
            Err(e) => errors.push(CheckError::file(
                &name,
                "output-unwritable",
                format!("cannot write the {} report here: {e}", spec.format.as_str()),
            )),
        }
    }
    if errors.is_empty() {
        Ok(outputs)
    } else {
        Err(errors)
    }
}

/// Writes the report to every output: files first, then stdout (so that a
/// closed stdout pipe, which ends the process, cannot lose a file). `color`
/// applies only to a human report on stdout. Returns the write errors.
pub fn write(
    outputs: Vec<Output>,
    report: &Report,
    context: &Context,
    color: bool,
) -> Vec<CheckError> {
    let mut errors = Vec::new();
    let mut stdout = None;
    for output in outputs {
        match output.sink {
            Sink::Stdout => stdout = Some(output.format),
            Sink::File { path, mut file } => {
                let plain = Context {
                    style: Style { color: false },
                    ..*context
                };
                let text = report::render(output.format, report, &plain);
                if let Err(e) = file.write_all(text.as_bytes()).and_then(|_| file.flush()) {
                    errors.push(CheckError::file(
                        &path.display().to_string(),
                        "output-unwritable",
                        format!("cannot write the report: {e}"),
                    ));
                }
            }
        }
    }
    if let Some(format) = stdout {
        let styled = Context {
            style: Style { color },
            ..*context
        };
        emit(&report::render(format, report, &styled));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Result<OutputSpec, String> {
        text.parse()
    }

    #[test]
    fn a_format_alone_goes_to_stdout() {
        assert_eq!(
            spec("sarif"),
            Ok(OutputSpec {
                format: Format::Sarif,
                path: None
            })
        );
        assert_eq!(spec("JUnit").map(|s| s.format), Ok(Format::Junit));
        assert_eq!(spec("json=-").map(|s| s.path), Ok(None));
    }

    #[test]
    fn a_path_after_equals_is_a_file() {
        assert_eq!(
            spec("junit=out/report.xml").map(|s| s.path),
            Ok(Some(PathBuf::from("out/report.xml")))
        );
        // Only the first `=` separates: the rest is the path.
        assert_eq!(
            spec("json=a=b.json").map(|s| s.path),
            Ok(Some(PathBuf::from("a=b.json")))
        );
    }

    #[test]
    fn unknown_formats_and_empty_paths_are_refused() {
        assert!(spec("xml").is_err_and(|e| e.contains("unknown format `xml`")));
        assert!(spec("sarif=").is_err_and(|e| e.contains("empty")));
        assert!(spec("").is_err());
    }

    #[test]
    fn two_outputs_on_stdout_are_refused_before_any_file_is_created() {
        let specs = [spec("human"), spec("json")].map(|s| s.unwrap_or_else(|e| panic!("{e}")));
        let errors = open(&specs).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("human, json"),
            "{}",
            errors[0].message
        );
    }
}
