//! The progress bar of a long check, drawn on stderr so that it never mixes
//! with a report on stdout. It is shown only on a terminal, never in CI (the
//! `CI` variable) or with `--quiet`, and only once a check has taken more
//! than a moment, so that quick runs do not flicker.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a check runs before the bar appears.
pub const DELAY: Duration = Duration::from_millis(400);

/// Whether a bar may be drawn: not quiet, stderr is a terminal, not in CI.
pub fn wanted(quiet: bool, stderr_is_terminal: bool, ci: Option<&str>) -> bool {
    !quiet && stderr_is_terminal && !is_ci(ci)
}

/// `CI` set to anything but empty, `0` or `false` means a CI runner.
fn is_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")))
}

/// [`wanted`] for this process.
pub fn wanted_here(quiet: bool) -> bool {
    let ci = std::env::var("CI").ok();
    wanted(quiet, std::io::stderr().is_terminal(), ci.as_deref())
}

/// Counts checked files; draws a bar once the run is slow enough.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `total` files; `enabled` from [`wanted_here`]; `color` styles it.
    pub fn new(total: usize, enabled: bool, color: bool) -> Progress {
        let total = u64::try_from(total).unwrap_or(u64::MAX);
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let template = if color {
            "{spinner:.cyan} checking [{bar:30.cyan/blue}] {pos}/{len} files ({elapsed})"
        } else {
            "{spinner} checking [{bar:30}] {pos}/{len} files ({elapsed})"
        };
        let style = ProgressStyle::with_template(template)
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress {
            bar,
            started: Instant::now(),
            enabled,
            shown: AtomicBool::new(false),
        }
    }

    /// Called from worker threads as each file is done.
    pub fn file_done(&self) {
        self.bar.inc(1);
        if self.enabled
            && self.started.elapsed() >= DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.tick();
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// Removes the bar before the report is written.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_outside_ci_and_when_not_quiet() {
        assert!(wanted(false, true, None));
        assert!(!wanted(true, true, None));
        assert!(!wanted(false, false, None));
        assert!(!wanted(false, true, Some("true")));
        assert!(!wanted(false, true, Some("1")));
        assert!(wanted(false, true, Some("")));
        assert!(wanted(false, true, Some("false")));
        assert!(wanted(false, true, Some("0")));
    }

    #[test]
    fn a_disabled_bar_counts_but_never_draws() {
        let progress = Progress::new(3, false, false);
        for _ in 0..3 {
            progress.file_done();
        }
        assert_eq!(progress.bar.position(), 3);
        assert!(progress.bar.is_hidden());
        progress.finish();
    }
}
