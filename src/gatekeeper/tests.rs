//! Templates and constraints from YAML text through compilation and review.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::input::{self, Limits};
use crate::source::SourceFile;

fn sources(name: &str, yaml: &str) -> Result<Sources, Vec<CheckError>> {
    let source = SourceFile::new(name, yaml);
    let loaded = input::load(&source, Limits::default())
        .map_err(|e| vec![CheckError::file(name, e.code, e.message)])?;
    let mut out = Sources::default();
    for doc in &loaded.documents {
        out.add(doc)?;
    }
    Ok(out)
}

fn compile(yaml: &str) -> Result<GatekeeperSet, Vec<CheckError>> {
    sources("gk.yaml", yaml)?.compile(Duration::from_secs(5))
}

const LABELS: &str = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: mustlabel
spec:
  crd:
    spec:
      names:
        kind: MustLabel
      validation:
        openAPIV3Schema:
          type: object
          properties:
            keys:
              type: array
              items:
                type: string
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package mustlabel

        import data.lib.labels.present

        violation[{"msg": msg, "details": {"path": ["metadata", "labels"]}}] {
          key := input.parameters.keys[_]
          not present(input.review.object, key)
          msg := sprintf("%v %v lacks label %v", [input.review.kind.kind, input.review.name, key])
        }
      libs:
        - |
          package lib.labels

          present(obj, key) {
            obj.metadata.labels[key]
          }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: MustLabel
metadata:
  name: team-label
spec:
  enforcementAction: warn
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Pod"]
    excludedNamespaces: ["kube-*"]
  parameters:
    keys: ["team", "tier"]
"#;

fn pod(ns: &str, labels: serde_json::Value) -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": ns, "labels": labels}})
}

#[test]
fn a_v0_template_with_a_library_reviews_matching_objects() {
    let set = compile(LABELS).unwrap_or_else(|e| panic!("{e:?}"));
    let out = set.review(
        &Review::of_object(&pod("shop", json!({"tier": "web"}))),
        Some(EnforcementPoint::Gator),
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.violations.len(), 1);
    let v = &out.violations[0];
    assert_eq!(v.message, "Pod web lacks label team");
    assert_eq!(v.action, Action::Warn);
    assert_eq!(v.constraint.name, "team-label");
    assert_eq!(v.details, json!({"path": ["metadata", "labels"]}));
    let skipped = set.review(
        &Review::of_object(&pod("kube-system", json!({}))),
        Some(EnforcementPoint::Gator),
    );
    assert!(skipped.violations.is_empty());
}

#[test]
fn rego_v1_templates_and_code_entries() {
    let yaml = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: noprivileged
spec:
  crd:
    spec:
      names:
        kind: NoPrivileged
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations: []
        - engine: Rego
          source:
            rego: |
              package noprivileged
              import rego.v1

              violation contains {"msg": sprintf("container %v is privileged", [c.name])} if {
                some c in input.review.object.spec.containers
                c.securityContext.privileged
              }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: NoPrivileged
metadata:
  name: no-privileged
"#;
    let set = compile(yaml).unwrap_or_else(|e| panic!("{e:?}"));
    let object = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a", "securityContext": {"privileged": true}}, {"name": "b"}]}});
    let out = set.review(&Review::of_object(&object), Some(EnforcementPoint::Gator));
    let messages: Vec<_> = out.violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(messages, ["container a is privileged"]);
    assert_eq!(out.violations[0].action, Action::Deny);
}

#[test]
fn rego_errors_point_at_the_line_in_the_yaml() {
    let broken = LABELS.replace("key := input.parameters.keys[_]", "key := := input");
    let errors = compile(&broken).unwrap_err();
    assert_eq!(errors[0].code, "rego-parse-error", "{errors:?}");
    let line = LABELS
        .lines()
        .position(|l| l.contains("key := input.parameters"))
        .unwrap()
        + 1;
    assert_eq!(errors[0].line, Some(line), "{errors:?}");
    assert!(errors[0].message.contains("mustlabel"), "{errors:?}");
}

#[test]
fn unsupported_features_are_errors_that_name_the_template() {
    let cel = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: celonly
spec:
  crd:
    spec:
      names:
        kind: CelOnly
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "true"
"#;
    let errors = compile(cel).unwrap_err();
    assert_eq!(errors[0].code, "gatekeeper-cel-only");
    assert!(errors[0].message.contains("celonly"));
    let external = LABELS.replace(
        "not present(input.review.object, key)",
        "resp := external_data({\"provider\": \"p\", \"keys\": [key]})\n          not present(resp, key)",
    );
    let errors = compile(&external).unwrap_err();
    assert_eq!(errors[0].code, "gatekeeper-external-data", "{errors:?}");
    assert!(errors[0].message.contains("mustlabel"));
}

#[test]
fn constraints_need_their_template_and_valid_parameters() {
    let constraint_only = LABELS.split("---\n").nth(1).unwrap();
    let errors = compile(constraint_only).unwrap_err();
    assert_eq!(errors[0].code, "gatekeeper-missing-template");
    let bad = LABELS.replace("keys: [\"team\", \"tier\"]", "keys: team");
    let errors = compile(&bad).unwrap_err();
    assert_eq!(
        errors[0].code, "gatekeeper-invalid-parameters",
        "{errors:?}"
    );
    let misnamed = LABELS.replace("name: mustlabel", "name: must-label");
    let errors = sources("gk.yaml", &misnamed).unwrap_err();
    assert_eq!(errors[0].code, "gatekeeper-invalid-template");
    assert!(errors[0].message.contains("`mustlabel`"), "{errors:?}");
    let bad_match = LABELS.replace(
        "excludedNamespaces: [\"kube-*\"]",
        "labelSelector: {matchExpressions: [{key: a, operator: In}]}",
    );
    let errors = sources("gk.yaml", &bad_match).unwrap_err();
    assert_eq!(errors[0].code, "gatekeeper-invalid-constraint");
}

#[test]
fn the_inventory_feeds_data_inventory_and_namespace_selectors() {
    let yaml = r#"apiVersion: templates.gatekeeper.sh/v1beta1
kind: ConstraintTemplate
metadata:
  name: uniquehost
spec:
  crd:
    spec:
      names:
        kind: UniqueHost
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package uniquehost
        violation[{"msg": msg}] {
          host := input.review.object.spec.rules[_].host
          other := data.inventory.namespace[ns][_]["Ingress"][name]
          not same(ns, name)
          other.spec.rules[_].host == host
          msg := sprintf("host %v is already used by %v/%v", [host, ns, name])
        }
        same(ns, name) {
          ns == input.review.object.metadata.namespace
          name == input.review.object.metadata.name
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: UniqueHost
metadata:
  name: unique-host
spec:
  match:
    namespaceSelector:
      matchLabels:
        env: prod
"#;
    let ingress = |ns: &str, name: &str| {
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": name, "namespace": ns}, "spec": {"rules": [{"host": "shop.example"}]}})
    };
    let prod = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a", "labels": {"env": "prod"}}});
    let (a, b) = (ingress("a", "one"), ingress("b", "two"));
    let set = compile(yaml).unwrap_or_else(|e| panic!("{e:?}"));
    let with = set.with_inventory(Inventory::of([&prod, &a, &b])).unwrap();
    let out = with.review(&Review::of_object(&a), Some(EnforcementPoint::Gator));
    let messages: Vec<_> = out.violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        messages,
        ["host shop.example is already used by b/two"],
        "{:?}",
        out.errors
    );
    // Namespace `b` is not in the inventory: the selector cannot be decided.
    let out = with.review(&Review::of_object(&b), Some(EnforcementPoint::Gator));
    assert_eq!(out.errors.len(), 1);
    assert!(
        out.errors[0].message.contains("Namespace `b`"),
        "{:?}",
        out.errors
    );
}

#[test]
fn scoped_enforcement_actions_depend_on_the_enforcement_point() {
    let scoped = LABELS.replace(
        "enforcementAction: warn",
        "enforcementAction: scoped\n  scopedEnforcementActions:\n    - action: deny\n      enforcementPoints: [{name: validation.gatekeeper.sh}]\n    - action: dryrun\n      enforcementPoints: [{name: \"*\"}]",
    );
    let set = compile(&scoped).unwrap_or_else(|e| panic!("{e:?}"));
    let review = Review::of_object(&pod("shop", json!({})));
    let gator = set.review(&review, Some(EnforcementPoint::Gator));
    assert!(gator.violations.iter().all(|v| v.action == Action::Dryrun));
    let webhook = set.review(&review, Some(EnforcementPoint::Webhook));
    assert!(webhook.violations.iter().all(|v| v.action == Action::Deny));
    assert_eq!(webhook.violations.len(), 2);
}

#[test]
fn failing_builtins_are_undefined_as_in_gatekeeper() {
    let yaml = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: numericlabel
spec:
  crd:
    spec:
      names:
        kind: NumericLabel
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package numericlabel
        violation[{"msg": msg}] {
          value := input.review.object.metadata.labels.size
          not to_number(value)
          msg := sprintf("label size=%v is not a number", [value])
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: NumericLabel
metadata:
  name: numeric-size
"#;
    let set = compile(yaml).unwrap_or_else(|e| panic!("{e:?}"));
    for set in [set.clone(), set.with_inventory(Inventory::new()).unwrap()] {
        let out = set.review(&Review::of_object(&pod("a", json!({"size": "big"}))), None);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let messages: Vec<_> = out.violations.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(messages, ["label size=big is not a number"]);
    }
}

#[test]
fn templates_get_the_opa_built_ins_railyard_adds() {
    let yaml = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: hostglobs
spec:
  crd:
    spec:
      names:
        kind: HostGlobs
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package hostglobs
        violation[{"msg": msg}] {
          host := input.review.object.spec.rules[_].host
          regex.globs_match(host, `.*\.internal\.example`)
          msg := sprintf("host %v is internal", [host])
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: HostGlobs
metadata:
  name: no-internal-hosts
"#;
    let set = compile(yaml).unwrap_or_else(|e| panic!("{e:?}"));
    let ingress = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"},
        "spec": {"rules": [{"host": "db.internal.example"}, {"host": "www.example.com"}]}});
    let out = set.review(&Review::of_object(&ingress), None);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let messages: Vec<_> = out.violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(messages, ["host db.internal.example is internal"]);
}
