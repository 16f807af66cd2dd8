//! Gatekeeper compatibility: ConstraintTemplates and Constraints as policies
//! (`policy check`, `policy rules`, the webhook) and gator suites
//! (`policy verify`), over the templates, constraints, manifests and suites
//! of `fixtures/gatekeeper/`.

use std::path::Path;

use railyard::server;
use serde_json::{json, Value};

use crate::support::{check_json, errors_with_code, findings, run, ROOT};
use crate::webhook::{client, create_review, https_settings, pki};

const POLICIES: &str = "fixtures/gatekeeper/policies";
const SUITES: &str = "fixtures/gatekeeper/suites";
const FAILING_SUITE: &str = "fixtures/gatekeeper/failing-suite/suite.yaml";
const UNSUPPORTED: &str = "fixtures/gatekeeper/unsupported";
const MANIFESTS: &str = "fixtures/gatekeeper/manifests";

/// The lines of a `policy verify` output that name a result, without timings.
fn verdicts(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap_or(l).trim_end().to_owned())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

#[test]
fn verify_runs_every_suite_of_a_directory_like_gator_verify_v() {
    let out = run(["verify", SUITES], None);
    out.assert_code(0);
    let lines = verdicts(&out.stdout);
    for expected in [
        "=== RUN   require-team-label",
        "    === RUN   missing-both",
        "    --- PASS: missing-both",
        // An AdmissionReview object is reviewed as its request.
        "    --- PASS: admission-review-create",
        "    === SKIP  not-written-yet",
        "--- PASS: require-team-label",
        // `invalid: true`: the parameters break the template's schema.
        "--- PASS: parameters-must-match-the-schema",
        "    --- PASS: host-taken-in-another-namespace",
        "    --- PASS: prod-namespace-from-inventory",
        "ok",
        "PASS",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "missing {expected:?}\n{out}"
        );
    }
    // Every suite under the directory ran, in path order.
    let suites: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("ok\t"))
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect();
    assert_eq!(
        suites,
        [
            "fixtures/gatekeeper/suites/allowedregistries/suite.yaml",
            "fixtures/gatekeeper/suites/namespaces/suite.yaml",
            "fixtures/gatekeeper/suites/requirelabels/suite.yaml",
            "fixtures/gatekeeper/suites/uniqueingresshost/suite.yaml",
        ],
        "{out}"
    );
    // gator's recursive form, and a suite named directly.
    run(["verify", &format!("{SUITES}/...")], None).assert_code(0);
    run(
        [
            "verify",
            "-v",
            &format!("{SUITES}/uniqueingresshost/suite.yaml"),
        ],
        None,
    )
    .assert_code(0);
}

#[test]
fn verify_reports_each_failing_case_and_exits_1() {
    let out = run(["verify", FAILING_SUITE], None);
    out.assert_code(1);
    let text = &out.stdout;
    for expected in [
        "    --- FAIL: count-is-off",
        "        got 2 violations but want exactly 3: got messages",
        "        got 0 violations containing \"^no such message$\" but want at least 1",
        "        got 2 violations but want none",
        "        invalid case: assertions must be non-empty",
        "--- FAIL: wrong-expectations",
        "        constraint prod-min-replicas: the constraint has a namespaceSelector, but the Namespace `team-shop` is not known",
        "  the constraint is valid for its template, but the test expects it to be invalid",
        "FAIL\tfixtures/gatekeeper/failing-suite/suite.yaml",
    ] {
        assert!(text.contains(expected), "missing {expected:?}\n{out}");
    }
    assert_eq!(text.lines().last(), Some("FAIL"), "{out}");
}

#[test]
fn verify_without_suites_is_an_error() {
    let out = run(["verify", "fixtures/gatekeeper/no-such-dir"], None);
    out.assert_code(2);
    assert!(out.stderr.contains("no such file or directory"), "{out}");
    let out = run(["verify", "fixtures/gatekeeper/manifests"], None);
    out.assert_code(2);
    assert!(out.stderr.contains("no gator Suite"), "{out}");
}

#[test]
fn rules_lists_constraints_with_their_template_kind_and_enforcement_action() {
    let out = run(["rules", "-p", POLICIES], None);
    out.assert_code(0);
    let row = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(
        row("require-team-label"),
        ["require-team-label", "RequireLabels", "deny"],
        "{out}"
    );
    assert_eq!(
        row("registries-audit"),
        ["registries-audit", "AllowedRegistries", "dryrun"]
    );
    assert_eq!(
        row("namespace-owner"),
        ["namespace-owner", "NamespaceOwner", "warn"]
    );
    assert!(out.stdout.contains("6 constraint(s)"), "{out}");
    let out = run(["rules", "-p", POLICIES, "-o", "json"], None);
    out.assert_code(0);
    let rows: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let audit = rows
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "registries-audit"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(audit["template_kind"], "AllowedRegistries", "{rows:#}");
    assert_eq!(audit["enforcement_action"], "dryrun");
    assert_eq!(audit["level"], "warning");
}

#[test]
fn unsupported_or_broken_templates_are_errors_that_name_the_template_and_line() {
    for (dir, code, name, place) in [
        (
            "cel-only",
            "gatekeeper-cel-only",
            "replicacap",
            "template.yaml:14:7",
        ),
        (
            "external-data",
            "gatekeeper-external-data",
            "signedimages",
            "template.yaml:18:23",
        ),
        (
            "broken-rego",
            "rego-parse-error",
            "brokenrego",
            "template.yaml:19:9",
        ),
        (
            "missing-template",
            "gatekeeper-missing-template",
            "require-annotations",
            "constraint.yaml:5:3",
        ),
    ] {
        let path = format!("{UNSUPPORTED}/{dir}");
        for command in ["rules", "check"] {
            let mut args = vec![command, "-p", &path];
            if command == "check" {
                args.push("fixtures/gatekeeper/manifests");
            }
            let out = run(&args, None);
            out.assert_code(2);
            for expected in [code, name, place] {
                assert!(
                    out.stderr.contains(expected),
                    "{dir}: missing {expected:?}\n{out}"
                );
            }
        }
    }
}

/// A finding reduced to (rule, file name, line, column, level, waived by).
fn brief(f: &Value) -> (String, String, u64, u64, String, String) {
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    (
        text(&f["rule"]),
        text(&f["file"]).rsplit('/').next().unwrap_or("").to_owned(),
        f["line"].as_u64().unwrap_or(0),
        f["column"].as_u64().unwrap_or(0),
        text(&f["level"]),
        text(&f["waiver"]["by"]),
    )
}

#[test]
fn check_evaluates_every_constraint_on_the_objects_it_matches() {
    let (out, report) = check_json(["-p", POLICIES, MANIFESTS]);
    out.assert_code(1);
    let found: Vec<_> = findings(&report).iter().map(brief).collect();
    let expected = [
        // data.inventory holds both Ingresses of the run: each sees the other.
        ("unique-ingress-host", "ingresses.yaml", 8, 7, "failure", ""),
        (
            "unique-ingress-host",
            "ingresses.yaml",
            27,
            7,
            "failure",
            "",
        ),
        // details.path names metadata.labels, absent: its nearest ancestor.
        ("require-team-label", "lab.yaml", 3, 1, "failure", ""),
        ("require-team-label", "lab.yaml", 3, 1, "failure", ""),
        // details.path names the image.
        ("allowed-registries", "lab.yaml", 18, 11, "failure", ""),
        ("registries-audit", "lab.yaml", 18, 11, "failure", "dryrun"),
        // No details: the resource's metadata.name; warn is a warning.
        ("namespace-owner", "namespaces.yaml", 13, 3, "warning", ""),
        ("require-team-label", "shop.yaml", 8, 5, "failure", ""),
        // namespaceSelector env=prod: the Namespace comes from the run.
        ("prod-min-replicas", "shop.yaml", 10, 3, "warning", ""),
        ("registries-audit", "shop.yaml", 21, 11, "failure", "dryrun"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(r, f, l, c, lv, w)| {
            (
                r.to_string(),
                f.to_string(),
                *l,
                *c,
                lv.to_string(),
                w.to_string(),
            )
        })
        .collect();
    assert_eq!(found, expected, "{report:#}");
    let summary = &report["summary"];
    assert_eq!(
        (
            &summary["failures"],
            &summary["warnings"],
            &summary["waived"]
        ),
        (&Value::from(6), &Value::from(2), &Value::from(2)),
        "{report:#}"
    );
    let lab = findings(&report)
        .iter()
        .find(|f| f["rule"] == "allowed-registries")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        lab["message"],
        "container probe uses docker.io/library/busybox:1.36, which is not from an allowed registry (registry.example.com/, ghcr.io/railyard/)"
    );
    assert_eq!(lab["path"], "/spec/template/spec/containers/0/image");
    assert_eq!(lab["resource"]["name"], "probe");
    assert_eq!(lab["policy"], "gatekeeper.allowedregistries");
    // Objects the constraints do not select: excluded namespaces, other
    // namespaces, the exempt label, names that do not match.
    for (file, name) in [("tools.yaml", "debug"), ("lab.yaml", "legacy")] {
        assert!(
            !findings(&report).iter().any(|f| {
                f["file"].as_str().is_some_and(|x| x.ends_with(file))
                    && f["resource"]["name"] == name
                    && f.get("waiver").is_none()
            }),
            "{file} {name}\n{report:#}"
        );
    }
}

#[test]
fn check_findings_carry_the_human_frame_and_dryrun_never_fails() {
    let out = run(
        [
            "check",
            "-p",
            POLICIES,
            &format!("{MANIFESTS}/namespaces.yaml"),
        ],
        None,
    );
    // Only the warn constraint fires here.
    out.assert_code(0);
    assert!(
        out.stdout
            .contains("namespace-owner: Namespace team-lab has no owner annotation"),
        "{out}"
    );
    let out = run(
        [
            "check",
            "-p",
            &format!("{POLICIES}/templates"),
            "-p",
            &format!("{POLICIES}/constraints/registries-audit.yaml"),
            MANIFESTS,
            "--fail-on",
            "warning",
        ],
        None,
    );
    out.assert_code(0);
    assert!(out.stdout.contains("waived[registries-audit]"), "{out}");
    assert!(out.stdout.contains("2 waived"), "{out}");
}

#[test]
fn a_namespace_selector_without_the_namespace_is_an_error() {
    // Without namespaces.yaml in the run, team-shop's labels are unknown.
    let (out, report) = check_json(["-p", POLICIES, &format!("{MANIFESTS}/shop.yaml")]);
    out.assert_code(2);
    let errs = errors_with_code(&report, "evaluation-error");
    assert_eq!(errs.len(), 1, "{report:#}");
    let message = errs[0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("constraint prod-min-replicas")
            && message.contains("Namespace `team-shop` is not known"),
        "{report:#}"
    );
    // The other constraints still reviewed the Deployment.
    assert!(
        findings(&report)
            .iter()
            .any(|f| f["rule"] == "require-team-label"),
        "{report:#}"
    );
}

// ------------------------------------------------------------- the webhook

/// The Kubernetes objects of a manifest file, as the API server would send them.
fn objects(file: &str) -> Vec<Value> {
    let path = Path::new(ROOT).join(file);
    let text = std::fs::read_to_string(&path).expect("manifest readable");
    let source = railyard::source::SourceFile::new(file, text);
    railyard::input::load(&source, railyard::input::Limits::default())
        .expect("manifest loads")
        .documents
        .into_iter()
        .map(|d| d.value)
        .collect()
}

/// A webhook serving the fixture constraints with `inventory`, over HTTPS.
async fn serve(dir: &Path, inventory: &Path) -> (server::Running, reqwest::Client) {
    let pki = pki("gatekeeper");
    std::fs::create_dir_all(dir.join("tls")).expect("tls dir");
    std::fs::write(dir.join("tls/tls.crt"), &pki.cert).expect("cert");
    std::fs::write(dir.join("tls/tls.key"), &pki.key).expect("key");
    let policies = Path::new(ROOT).join(POLICIES);
    let mut settings = https_settings(dir, Some(&policies));
    settings.sources.inventory = Some(inventory.to_owned());
    let running = server::start(settings).await.expect("server starts");
    (running, client(&[&pki.ca]))
}

/// (allowed, denial lines, warnings) of a CREATE of `object`.
async fn admit(
    running: &server::Running,
    client: &reqwest::Client,
    object: &Value,
) -> (bool, Vec<String>, Vec<String>) {
    let url = format!("https://localhost:{}/validate", running.addr.port());
    let reply: Value = client
        .post(url)
        .header("content-type", "application/json")
        .body(create_review(object, "3f6c2a1e-0000-4000-8000-000000000001").to_string())
        .send()
        .await
        .expect("the webhook answers")
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let response = &reply["response"];
    let lines = |v: &Value| {
        v.as_str()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let warnings = response["warnings"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (
        response["allowed"] == true,
        lines(&response["status"]["message"]),
        warnings,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_enforces_constraints_with_its_inventory_over_https() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = dir.path().join("inventory.json");
    let fixture = Path::new(ROOT).join("fixtures/gatekeeper/inventory.json");
    std::fs::copy(&fixture, &inventory).expect("inventory copied");
    let (running, client) = serve(dir.path(), &inventory).await;
    let cart = objects("fixtures/gatekeeper/manifests/shop.yaml").remove(0);
    let (allowed, denial, warnings) = admit(&running, &client, &cart).await;
    assert!(!allowed);
    assert_eq!(
        denial,
        ["[require-team-label] Deployment team-shop/cart has tier=web, which does not match ^(frontend|backend)$"]
    );
    // team-shop is env=prod in the inventory file; the dryrun constraint says nothing.
    assert_eq!(
        warnings,
        ["[prod-min-replicas] Deployment cart runs 1 replica(s); at least 2 are required here"]
    );
    // data.inventory: lab-preview in team-lab already serves the host.
    let storefront = objects("fixtures/gatekeeper/manifests/ingresses.yaml").remove(0);
    let (allowed, denial, _) = admit(&running, &client, &storefront).await;
    assert!(!allowed);
    assert_eq!(
        denial,
        ["[unique-ingress-host] host shop.example.com is already served by Ingress team-lab/lab-preview"]
    );
    // Exempt namespaces are not reviewed; a compliant object is allowed.
    let mut system = cart.clone();
    system["metadata"]["namespace"] = json!("kube-system");
    assert!(admit(&running, &client, &system).await.0);
    let mut fine = cart.clone();
    fine["metadata"]["labels"]["tier"] = json!("backend");
    fine["spec"]["replicas"] = json!(3);
    assert_eq!(
        admit(&running, &client, &fine).await,
        (true, vec![], vec![])
    );
    // The inventory reloads with the policies: without lab-preview, the host is free.
    let mut list: Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).expect("fixture")).expect("JSON");
    if let Some(items) = list["items"].as_array_mut() {
        items.retain(|i| i["kind"] != "Ingress");
    }
    std::fs::write(&inventory, list.to_string()).expect("inventory rewritten");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !admit(&running, &client, &storefront).await.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new inventory was not picked up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_and_policy_check_decide_the_same_for_every_manifest() {
    let files = [
        "namespaces.yaml",
        "ingresses.yaml",
        "lab.yaml",
        "shop.yaml",
        "tools.yaml",
    ];
    // The webhook's inventory is the whole run, as `policy check` builds it.
    let dir = tempfile::tempdir().expect("tempdir");
    let all: Vec<Value> = files
        .iter()
        .flat_map(|f| objects(&format!("{MANIFESTS}/{f}")))
        .collect();
    let inventory = dir.path().join("inventory.json");
    let list = json!({"apiVersion": "v1", "kind": "List", "items": all});
    std::fs::write(&inventory, list.to_string()).expect("inventory written");
    let (running, client) = serve(dir.path(), &inventory).await;
    let (_, report) = check_json(["-p", POLICIES, MANIFESTS]);
    let mut compared = 0;
    for object in &all {
        let name = object["metadata"]["name"].as_str().unwrap_or("");
        let mut from_check: Vec<(String, bool)> = findings(&report)
            .iter()
            .filter(|f| f["resource"]["name"] == name && f.get("waiver").is_none())
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").to_owned(),
                    f["level"] == "failure",
                )
            })
            .collect();
        let (_, denial, warnings) = admit(&running, &client, object).await;
        let rule = |line: &String| {
            line.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .to_owned()
        };
        let mut from_webhook: Vec<(String, bool)> = denial
            .iter()
            .map(|l| (rule(l), true))
            .chain(warnings.iter().map(|l| (rule(l), false)))
            .collect();
        from_check.sort();
        from_webhook.sort();
        assert_eq!(from_webhook, from_check, "{name}");
        compared += from_check.len();
    }
    assert_eq!(compared, 8, "{report:#}");
    running.shutdown().await;
}
