//! Governance over a run: `railyard.toml` (found upwards, flags win, errors
//! with their line), waivers (waived, expired, stale, invalid), Conftest
//! `exception` rules, `--combine`, `--namespace` and `--exclude`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{assert_valid_report, check_json, findings, notices, policy, run, Run, ROOT};

const POLICIES: &str = "tests/data/governance/policies";
const MANIFESTS: &str = "tests/data/governance/manifests";

/// (rule, file name, line, waived by) of every finding.
fn rows(report: &Value) -> Vec<(String, String, u64, Option<String>)> {
    findings(report)
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or_default();
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                file.rsplit('/').next().unwrap_or(file).to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["waiver"]["by"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn row(
    rule: &str,
    file: &str,
    line: u64,
    by: Option<&str>,
) -> (String, String, u64, Option<String>) {
    (rule.into(), file.into(), line, by.map(str::to_owned))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create fixture directory");
    }
    std::fs::write(&path, text).expect("write fixture");
    path
}

fn absolute(relative: &str) -> String {
    Path::new(ROOT).join(relative).display().to_string()
}

/// `policy check` in `dir`, JSON out.
fn check_in(dir: &Path, args: &[&str]) -> (Run, Value) {
    let output = policy()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["-o", "json"])
        .output()
        .expect("policy can be started");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    if !report.is_null() {
        assert_valid_report(&report);
    }
    (run, report)
}

#[test]
fn combine_gives_rules_the_whole_run_and_findings_point_at_the_document_they_name() {
    let (alone, report) = check_json([MANIFESTS, "-p", POLICIES, "--exclude", "vendor/**"]);
    alone.assert_code(1);
    assert!(
        !rows(&report).iter().any(|r| r.0 == "GOV-PDB"),
        "without --combine the rule sees one document and finds nothing: {report:#}"
    );
    let (combined, report) = check_json([
        MANIFESTS,
        "-p",
        POLICIES,
        "--exclude",
        "vendor/**",
        "--combine",
    ]);
    combined.assert_code(1);
    // `api` has no PodDisruptionBudget: the finding is on its `selector` line;
    // targeted rules (GOV-REPLICAS) still run per document.
    assert_eq!(
        rows(&report),
        vec![
            row("GOV-REPLICAS", "api.yaml", 7, None),
            row("GOV-PDB", "api.yaml", 8, None),
            row("GOV-REPLICAS", "web.yaml", 7, None),
        ]
    );
    assert_eq!(report["summary"]["documents"], 3);
}

#[test]
fn exclude_and_namespace_narrow_the_run_and_an_unknown_namespace_is_an_error() {
    let (_, all) = check_json([MANIFESTS, "-p", POLICIES]);
    assert_eq!(all["summary"]["files"], 4);
    let (_, excluded) = check_json([MANIFESTS, "-p", POLICIES, "--exclude", "vendor/**"]);
    assert_eq!(excluded["summary"]["files"], 3);

    let (_, only) = check_json([
        MANIFESTS,
        "-p",
        POLICIES,
        "--namespace",
        "governance.registry",
    ]);
    let rules: Vec<String> = rows(&only).into_iter().map(|r| r.0).collect();
    assert_eq!(rules, vec!["GOV-REGISTRY".to_owned()]);

    let typo = run(
        [
            "check",
            MANIFESTS,
            "-p",
            POLICIES,
            "--namespace",
            "governance.replica",
        ],
        None,
    );
    typo.assert_code(2);
    assert!(
        typo.stderr
            .contains("no rule is in package `governance.replica`"),
        "{typo}"
    );
}

#[test]
fn conftest_exception_rules_waive_what_they_name_and_nothing_else() {
    let (out, report) = check_json([MANIFESTS, "-p", POLICIES]);
    out.assert_code(1);
    let rows = rows(&report);
    assert!(
        rows.contains(&row("GOV-REGISTRY", "agent.yaml", 18, Some("exception"))),
        "{report:#}"
    );
    // The exception names only `untrusted_registry`: the agent's replica finding counts.
    assert!(rows.contains(&row("GOV-REPLICAS", "agent.yaml", 7, None)));
    assert_eq!(report["summary"]["waived"], 1);
    assert_eq!(report["summary"]["failures"], 3);
}

const ACTIVE: &str = "2999-12-31";
const PAST: &str = "2001-01-31";

fn waiver(rule: &str, selector: &str, expires: &str) -> String {
    format!(
        "  - rule: {rule}\n    {selector}\n    owner: platform-team\n    reason: tracked in TICKET-7\n    expires: {expires}\n"
    )
}

/// `policy check` of the manifests with one package's rules and a waiver file, in a format.
fn run_waived(file: &str, format: &str) -> Run {
    run(
        [
            "check",
            MANIFESTS,
            "-p",
            POLICIES,
            "--namespace",
            "governance.replicas",
            "--waivers",
            file,
            "-o",
            format,
        ],
        None,
    )
}

#[test]
fn waived_findings_are_reported_and_do_not_fail_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "waivers:\n{}{}",
        waiver("GOV-REPLICAS", "namespace: shop", ACTIVE),
        waiver("GOV-PDB", "name: \"*\"", ACTIVE)
    );
    let file = write(dir.path(), "waivers.yaml", &text);
    let file = file.to_str().expect("UTF-8 temp path");
    let out = run_waived(file, "json");
    out.assert_code(0);
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_valid_report(&report);
    assert_eq!(report["summary"]["waived"], 3, "{report:#}");
    assert_eq!(report["summary"]["failures"], 0);
    let first = &findings(&report)[0]["waiver"];
    assert_eq!(first["by"], "waiver");
    assert_eq!(first["owner"], "platform-team");
    assert_eq!(first["expires"], ACTIVE);
    assert_eq!(first["line"], 2);
    // GOV-PDB did not run (namespace): its waiver matched nothing and is stale.
    let codes: Vec<(&str, u64)> = notices(&report)
        .iter()
        .map(|n| {
            (
                n["code"].as_str().unwrap_or(""),
                n["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(codes, vec![("waiver-stale", 7)], "{report:#}");

    // The human report shows waived findings apart, with the waiver's owner and reason.
    let human = run_waived(file, "human");
    human.assert_code(0);
    assert!(
        human.stdout.contains("waived[GOV-REPLICAS]")
            && human
                .stdout
                .contains("owner platform-team, until 2999-12-31: tracked in TICKET-7")
            && human.stdout.contains("3 waived"),
        "{human}"
    );

    // SARIF marks them suppressed, with the justification.
    let sarif = run_waived(file, "sarif");
    let sarif: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for result in results {
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["status"], "accepted", "{result:#}");
        assert!(suppression["justification"]
            .as_str()
            .is_some_and(|j| j.contains("TICKET-7")));
    }
}

#[test]
fn expired_waivers_stop_applying_and_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "waivers:\n{}{}",
        waiver("GOV-REPLICAS", "name: web", PAST),
        waiver("GOV-REPLICAS", "name: api", ACTIVE)
    );
    let file = write(dir.path(), "waivers.yaml", &text);
    let (out, report) = check_json([
        MANIFESTS,
        "-p",
        POLICIES,
        "--exclude",
        "vendor/**",
        "--waivers",
        file.to_str().expect("UTF-8 temp path"),
    ]);
    out.assert_code(1);
    assert_eq!(
        rows(&report),
        vec![
            row("GOV-REPLICAS", "api.yaml", 7, Some("waiver")),
            row("GOV-REPLICAS", "web.yaml", 7, None),
        ]
    );
    let expired: Vec<&Value> = notices(&report)
        .iter()
        .filter(|n| n["code"] == "waiver-expired")
        .collect();
    assert_eq!(expired.len(), 1, "{report:#}");
    assert_eq!(expired[0]["line"], 2);
}

#[test]
fn a_waiver_without_owner_or_with_a_bad_date_stops_the_run_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "waivers.yaml",
        "waivers:\n  - rule: GOV-REPLICAS\n    name: web\n    reason: later\n    expires: 31/12/2999\n",
    );
    let out = run(
        [
            "check",
            MANIFESTS,
            "-p",
            POLICIES,
            "--waivers",
            file.to_str().expect("UTF-8 temp path"),
        ],
        None,
    );
    out.assert_code(2);
    assert!(out.stderr.contains("waiver-invalid"), "{out}");
    assert!(out.stderr.contains("`owner` is required"), "{out}");
    assert!(out.stderr.contains("waivers.yaml:5:"), "{out}");
    assert!(out.stdout.is_empty(), "nothing was checked: {out}");
}

#[test]
fn railyard_toml_is_found_upwards_and_flags_override_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "railyard.toml",
        &format!(
            "policy = [\"{}\"]\nwaivers = \"waivers.yaml\"\nnamespaces = [\"governance.replicas\"]\n\n[check]\nfail-on = \"never\"\nexclude = [\"vendor/**\"]\n",
            absolute(POLICIES)
        ),
    );
    write(
        dir.path(),
        "waivers.yaml",
        &format!("waivers:\n{}", waiver("GOV-REPLICAS", "name: web", ACTIVE)),
    );
    let nested = dir.path().join("deploy/app");
    std::fs::create_dir_all(&nested).expect("nested dir");
    let manifests = absolute(MANIFESTS);

    let (out, report) = check_in(&nested, &[&manifests]);
    out.assert_code(0);
    // From the file: the policy directory, the namespace, the exclude, the waivers.
    assert_eq!(
        rows(&report),
        vec![
            row("GOV-REPLICAS", "api.yaml", 7, None),
            row("GOV-REPLICAS", "web.yaml", 7, Some("waiver")),
        ]
    );
    // A flag wins over the file.
    let (out, _) = check_in(&nested, &[&manifests, "--fail-on", "failure"]);
    out.assert_code(1);
    // `policy rules` and `policy lint` read the policy directory from the file too.
    for command in ["rules", "lint"] {
        let out = policy()
            .current_dir(&nested)
            .arg(command)
            .output()
            .expect("policy can be started");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{command}: {stdout}");
        if command == "rules" {
            assert!(
                stdout.contains("GOV-REPLICAS") && !stdout.contains("K8S-POD-001"),
                "{stdout}"
            );
        }
    }
    // --config names another file; an explicit file that is missing is an error.
    let (out, _) = check_in(
        &nested,
        &[&manifests, "--config", "/nonexistent/railyard.toml"],
    );
    out.assert_code(2);
    assert!(out.stderr.contains("config-unreadable"), "{out}");
}

#[test]
fn unknown_keys_and_bad_values_in_railyard_toml_name_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifests = absolute(MANIFESTS);
    for (text, line, says) in [
        (
            "[check]\nfail_on = \"warning\"\n",
            2,
            "unknown field `fail_on`",
        ),
        (
            "\n[check]\nfail-on = \"sometimes\"\n",
            3,
            "unknown variant `sometimes`",
        ),
        (
            "[check]\noutput = [\"sarif=\", \"xml\"]\n",
            2,
            "unknown format `xml`",
        ),
        (
            "[serve]\nmode = \"strict\"\n",
            2,
            "unknown variant `strict`",
        ),
        ("policy = \"policies\"\n", 1, "invalid type"),
    ] {
        write(dir.path(), "railyard.toml", text);
        let (out, _) = check_in(dir.path(), &[&manifests]);
        out.assert_code(2);
        assert!(out.stderr.contains("config-invalid"), "{text}\n{out}");
        assert!(out.stderr.contains(says), "{text}\n{out}");
        assert!(
            out.stderr.contains(&format!("railyard.toml:{line}:")),
            "{text}\n{out}"
        );
    }
}
