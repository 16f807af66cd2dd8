//! Exit codes of `policy check` (DESIGN section 5): 0 clean, 1 failures (or
//! warnings with `--fail-on warning`), 2 for anything that prevented a complete
//! check, and 2 wins over 1. One bad file never stops the others.

use crate::support::run;

const LEVELS: &str = "tests/data/policies/levels";
const CLEAN: &str = "tests/data/inputs/levels/clean.yaml";
const DENY: &str = "tests/data/inputs/levels/deny.yaml";
const WARN: &str = "tests/data/inputs/levels/warn.yaml";
const BROKEN: &str = "tests/data/inputs/mixed/broken.yaml";
const MIXED_DIR: &str = "tests/data/inputs/mixed";

/// (extra arguments, inputs, expected exit code): the whole policy of exit codes in one table.
const CASES: &[(&[&str], &[&str], i32)] = &[
    // A compliant manifest.
    (&[], &[CLEAN], 0),
    // A failing one.
    (&[], &[DENY], 1),
    // Warnings alone do not fail by default...
    (&[], &[WARN], 0),
    // ...but do with --fail-on warning, which still fails on failures...
    (&["--fail-on", "warning"], &[WARN], 1),
    (&["--fail-on", "warning"], &[DENY], 1),
    (&["--fail-on", "warning"], &[CLEAN], 0),
    // ...and --fail-on never ignores findings, but not errors.
    (&["--fail-on", "never"], &[DENY, WARN], 0),
    (&["--fail-on", "never"], &[DENY, BROKEN], 2),
    (&["--fail-on", "failure"], &[WARN], 0),
    // Unparsable input.
    (&[], &[BROKEN], 2),
    // Failures and errors together: 2 wins.
    (&[], &[DENY, BROKEN], 2),
    (&[], &[MIXED_DIR], 2),
    // A path that does not exist.
    (&[], &["tests/data/inputs/no-such-file.yaml"], 2),
    (&[], &[CLEAN, "tests/data/inputs/no-such-dir/"], 2),
];

#[test]
fn exit_codes_follow_the_design() {
    let mut mismatches = Vec::new();
    for (flags, inputs, expected) in CASES {
        let mut args = vec!["check", "-p", LEVELS];
        args.extend_from_slice(flags);
        args.extend_from_slice(inputs);
        let out = run(&args, None);
        if out.code() != *expected {
            mismatches.push(format!(
                "policy {}: expected exit {expected}, got {}\n{out}",
                args.join(" "),
                out.code()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

#[test]
fn bad_flags_exit_2_with_a_message_on_stderr() {
    let cases: &[&[&str]] = &[
        &["check", "--no-such-flag", CLEAN],
        &["check", "-o", "xml", CLEAN],
        &["check", "--fail-on", "sometimes", CLEAN],
        &["check", "--timeout", "soon", CLEAN],
        &["check", "--timeout", "0", CLEAN],
        &["check", "--jobs", "many", CLEAN],
        &["check"],
        &["no-such-subcommand"],
        &[],
    ];
    for args in cases {
        let out = run(*args, None);
        assert_eq!(out.code(), 2, "policy {}\n{out}", args.join(" "));
        assert!(
            !out.stderr.trim().is_empty(),
            "policy {}: no explanation on stderr\n{out}",
            args.join(" ")
        );
        assert!(
            out.stdout.trim().is_empty(),
            "policy {}: a bad flag must not produce a report\n{out}",
            args.join(" ")
        );
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["--version"],
        &["check", "--help"],
        &["test", "--help"],
    ] {
        let out = run(args, None);
        assert_eq!(out.code(), 0, "policy {}\n{out}", args.join(" "));
        assert!(!out.stdout.is_empty(), "policy {}\n{out}", args.join(" "));
    }
}
