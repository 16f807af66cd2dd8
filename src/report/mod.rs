//! Reporters: one file per output format, chosen by [`Format`].

pub mod frame;
pub mod human;
pub mod json;

use crate::check::Report;

/// Output formats of `policy check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames for people, then a summary line.
    Human,
    /// The versioned JSON document (see README).
    Json,
}

/// Presentation settings that do not change what is reported.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

/// Renders a report in a format.
pub fn render(format: Format, report: &Report, style: Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Json => json::render(report),
    }
}
