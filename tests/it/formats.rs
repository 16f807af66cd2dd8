//! Infrastructure formats: Terraform plans and `.tf` sources, CloudFormation
//! and ARM templates. The real-world corpus (`../shared/corpus/{terraform-plan,
//! terraform-hcl,cloudformation,arm}`) loads without errors outside `invalid/`
//! and known-bad files produce findings; findings name their resource and
//! point at lines (and, for plans, at the `.tf` block); broken inputs are
//! errors with a position; `policy parse` shows what policies see.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{check_json, errors, findings, notices, run};

const FOLDERS: [&str; 4] = ["terraform-plan", "terraform-hcl", "cloudformation", "arm"];

fn corpus(folder: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(folder);
    assert!(
        dir.is_dir(),
        "the {folder} corpus is missing: expected it at {} (CI provides ../shared/corpus \
         beside the clone); this test must not pass without it",
        dir.display()
    );
    dir
}

/// Every data file of a corpus folder, relative to the crate root (as users type paths).
fn corpus_files(folder: &str) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("corpus directory is readable")
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let root = corpus(folder);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            ["json", "yaml", "yml", "template", "tf"].contains(&ext)
        })
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("below the corpus root");
            format!("../shared/corpus/{folder}/{}", rel.display())
        })
        .collect()
}

fn is_invalid(file: &str) -> bool {
    file.split('/').any(|part| part == "invalid")
}

fn describe(errors: &[&Value]) -> String {
    errors
        .iter()
        .map(|e| {
            format!(
                "{}:{} {}: {}",
                e["file"].as_str().unwrap_or_default(),
                e["line"],
                e["code"].as_str().unwrap_or_default(),
                e["message"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_corpus_file_loads_and_invalid_files_are_rejected_cleanly() {
    for folder in FOLDERS {
        let files = corpus_files(folder);
        assert!(files.len() > 20, "{folder}: the corpus looks incomplete");
        let (out, report) = check_json(&files);
        let code = out.code();
        assert!(code == 1 || code == 2, "{folder}: exit code {code}\n{out}");
        assert_eq!(
            report["summary"]["files"],
            files.len(),
            "{folder}: every file is read"
        );
        let all = errors(&report);
        let elsewhere: Vec<&Value> = all
            .iter()
            .filter(|e| !is_invalid(e["file"].as_str().unwrap_or_default()))
            .collect();
        assert!(
            elsewhere.is_empty(),
            "{folder}: {} valid corpus file(s) gave errors:\n{}",
            elsewhere.len(),
            describe(&elsewhere)
        );
        for file in files.iter().filter(|f| is_invalid(f)) {
            let errs: Vec<_> = all.iter().filter(|e| e["file"] == file.as_str()).collect();
            assert!(!errs.is_empty(), "{file}: an invalid file must be an error");
            assert!(
                errs.iter().all(|e| e["line"].is_u64()),
                "{file}: errors have lines"
            );
        }
    }
}

/// Known-bad files (by their source repository's verdict hint) for which the
/// built-in library has a matching rule, and the rule that must fire.
const KNOWN_BAD: &[(&str, &str)] = &[
    ("terraform-plan/checkov/terraform__checks__resource__gcp__example_GoogleComputeDefaultServiceAccountFullAccess__bad.json", "TF-GCP-007"),
    ("cloudformation/checkov/example_RDSMultiAZEnabled__RDSMultiAZEnabled-FAILED.yaml", "CFN-RDS-001"),
    ("cloudformation/checkov/example_IAMAdminPolicyDocument__iam_user.fail.json", "CFN-IAM-001"),
];

#[test]
fn known_bad_corpus_files_produce_findings() {
    for (file, rule) in KNOWN_BAD {
        let path = format!("../shared/corpus/{file}");
        let (out, report) = check_json([&path]);
        let rules: Vec<&str> = findings(&report)
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .collect();
        assert!(
            rules.contains(rule),
            "{file}: expected a {rule} finding, got {rules:?}\n{out}"
        );
    }
    // Checkov's and terraform-compliance's FAILED/fail files, in bulk: most of
    // them are about something the library checks too.
    let failing: Vec<String> = ["cloudformation", "terraform-plan", "arm"]
        .iter()
        .flat_map(|f| corpus_files(f))
        .filter(|f| {
            let name = f.rsplit('/').next().unwrap_or_default();
            !is_invalid(f)
                && (name.contains("FAILED") || name.contains("-fail") || name.contains("_fail"))
        })
        .collect();
    assert!(failing.len() > 20, "{} failing samples", failing.len());
    let (_, report) = check_json(&failing);
    let flagged: std::collections::HashSet<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(
        flagged.len() * 2 >= failing.len(),
        "only {} of {} known-failing corpus files produced findings",
        flagged.len(),
        failing.len()
    );
}

fn finding<'r>(report: &'r Value, rule: &str) -> &'r Value {
    findings(report)
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in\n{report:#}"))
}

#[test]
fn plan_findings_name_address_and_action_and_point_into_the_tf_sources() {
    // The .tf files beside the plan are found without a flag.
    let (out, report) = check_json(["fixtures/terraform/plan/plan.json"]);
    out.assert_code(1);
    let acl = finding(&report, "TF-AWS-001");
    assert_eq!(acl["resource"]["address"], "aws_s3_bucket.logs");
    assert_eq!(acl["resource"]["action"], "create");
    assert_eq!(acl["resource"]["type"], "aws_s3_bucket");
    assert_eq!(acl["line"], 17, "the acl line of plan.json");
    assert_eq!(acl["source"]["file"], "fixtures/terraform/plan/main.tf");
    assert_eq!(acl["source"]["line"], 11, "the acl attribute in main.tf");
    let ssh = finding(&report, "TF-AWS-006");
    assert_eq!(
        ssh["resource"]["address"],
        "module.net.aws_security_group.web"
    );
    assert_eq!(ssh["resource"]["action"], "replace");
    assert_eq!(
        ssh["source"]["file"],
        "fixtures/terraform/plan/modules/net/main.tf"
    );
    assert_eq!(
        ssh["source"]["line"], 15,
        "the second ingress block's cidr_blocks"
    );
    // The human report shows the source location too.
    let human = run(["check", "fixtures/terraform/plan/plan.json"], None);
    assert!(
        human
            .stdout
            .contains("fixtures/terraform/plan/modules/net/main.tf:15"),
        "{human}"
    );
}

#[test]
fn tf_source_flag_maps_a_corpus_plan_to_its_configuration() {
    let (_, report) = check_json([
        "../shared/corpus/terraform-plan/terraform-compliance/test_issue-456__plan.out.json",
        "--tf-source",
        "../shared/corpus/terraform-hcl/terraform-compliance/test_issue-456",
    ]);
    let with_source: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["source"]["file"].is_string())
        .collect();
    assert!(!with_source.is_empty(), "{report:#}");
    for f in with_source {
        assert!(f["source"]["file"]
            .as_str()
            .unwrap_or_default()
            .ends_with(".tf"));
        assert!(f["source"]["line"].as_u64().unwrap_or(0) >= 1);
    }
}

#[test]
fn hcl_cloudformation_and_arm_findings_point_at_lines() {
    let (_, report) = check_json(["fixtures/terraform/security-group.tf"]);
    let ssh = finding(&report, "TF-AWS-006");
    assert_eq!(ssh["line"], 15);
    assert_eq!(ssh["resource"]["address"], "aws_security_group.web");

    let (_, report) = check_json(["fixtures/cloudformation/bucket-and-db.yaml"]);
    let public = finding(&report, "CFN-RDS-002");
    assert_eq!(public["resource"]["logicalId"], "Db");
    assert_eq!(public["resource"]["type"], "AWS::RDS::DBInstance");
    assert_eq!(public["line"], 24);
    // `!If` on DeletionProtection and on versioning: unknown until deployment, not failures.
    let rules: Vec<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(!rules.contains(&"CFN-RDS-003"), "{rules:?}");
    assert!(!rules.contains(&"CFN-S3-004"), "{rules:?}");

    let (_, report) = check_json(["fixtures/arm/storage-with-comments.json"]);
    let http = finding(&report, "ARM-STG-001");
    assert_eq!(http["line"], 19);
    assert_eq!(
        http["resource"]["type"],
        "Microsoft.Storage/storageAccounts"
    );
    let rules: Vec<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"ARM-STG-002"));
    assert!(
        !rules.contains(&"ARM-STG-003"),
        "an expression is unknown: {rules:?}"
    );
}

#[test]
fn broken_inputs_are_errors_with_positions_and_the_others_are_still_checked() {
    let (out, report) = check_json([
        "tests/data/formats/truncated-plan.json",
        "tests/data/formats/syntax-error.tf",
        "tests/data/formats/unknown-tag.yaml",
        "fixtures/cloudformation/bucket-and-db.yaml",
    ]);
    out.assert_code(2);
    let errs = errors(&report);
    let code_of = |file: &str| {
        errs.iter()
            .find(|e| e["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .unwrap_or_else(|| panic!("no error for {file}\n{report:#}"))
    };
    let truncated = code_of("truncated-plan.json");
    assert_eq!(truncated["code"], "json-truncated");
    assert!(truncated["line"].as_u64().unwrap_or(0) >= 4);
    let hcl = code_of("syntax-error.tf");
    assert_eq!(hcl["code"], "hcl-parse-error");
    assert!(hcl["line"].as_u64().unwrap_or(0) >= 4, "{hcl}");
    let tag = code_of("unknown-tag.yaml");
    assert_eq!(tag["code"], "cloudformation-unknown-tag");
    assert_eq!(tag["line"], 6);
    assert_eq!(tag["column"], 19);
    assert!(tag["message"]
        .as_str()
        .unwrap_or_default()
        .contains("!Concat"));
    // The good file was still checked.
    assert!(findings(&report)
        .iter()
        .any(|f| f["file"] == "fixtures/cloudformation/bucket-and-db.yaml"));
}

#[test]
fn a_plan_from_a_future_format_version_is_a_notice_and_still_evaluated() {
    let (out, report) = check_json(["tests/data/formats/future-plan.json"]);
    out.assert_code(1);
    assert!(notices(&report)
        .iter()
        .any(|n| n["code"] == "terraform-unknown-format-version" && n["line"] == 2));
    finding(&report, "TF-AWS-011");
}

#[test]
fn parse_prints_documents_as_policies_see_them() {
    let out = run(
        ["parse", "fixtures/cloudformation/bucket-and-db.yaml"],
        None,
    );
    out.assert_code(0);
    let parsed: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let doc = &parsed["documents"][0];
    assert_eq!(doc["format"], "cloudformation");
    assert_eq!(doc["index"], 1);
    let input = &doc["input"];
    assert_eq!(input["AWSTemplateFormatVersion"], "2010-09-09");
    assert_eq!(
        input["Resources"]["Logs"]["Properties"]["BucketName"],
        serde_json::json!({"Fn::Sub": "${AWS::StackName}-logs"})
    );
    assert_eq!(
        input["Conditions"]["IsProd"],
        serde_json::json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]})
    );
    assert_eq!(
        input["Resources"]["Db"]["Properties"]["VPCSecurityGroups"][0],
        serde_json::json!({"Fn::GetAtt": ["DbSecurityGroup", "GroupId"]})
    );
    assert_eq!(
        input["Outputs"]["Endpoint"]["Value"],
        serde_json::json!({"Fn::GetAtt": ["Db", "Endpoint.Address"]})
    );

    for (file, format) in [
        ("fixtures/terraform/plan/plan.json", "terraform-plan"),
        ("fixtures/terraform/plan/main.tf", "terraform-hcl"),
        ("fixtures/arm/storage-with-comments.json", "arm"),
        ("fixtures/kubernetes/good/pod.yaml", "kubernetes"),
    ] {
        let out = run(["parse", file], None);
        out.assert_code(0);
        let parsed: Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(parsed["documents"][0]["format"], format, "{file}");
    }
    let tf = run(["parse", "fixtures/terraform/plan/main.tf"], None);
    let parsed: Value = serde_json::from_str(&tf.stdout).expect("JSON");
    assert_eq!(
        parsed["documents"][0]["input"]["module"]["net"],
        serde_json::json!([{"source": "./modules/net"}])
    );
    run(["parse", "tests/data/formats/unknown-tag.yaml"], None).assert_code(2);
}
