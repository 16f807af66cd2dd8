//! Unit tests of compiling and evaluating policy sets.

use super::*;
use serde_json::json;

fn set(text: &str) -> Result<PolicySet, Vec<CompileError>> {
    PolicySet::compile(
        &[PolicySource {
            path: "p.rego".into(),
            text: text.into(),
        }],
        &[],
        &CompileOptions::default(),
    )
}

#[test]
fn conftest_rule_conventions_and_metadata() {
    let policy = set(
        "# METADATA\n# title: T\n# custom:\n#   id: X-1\n#   severity: high\npackage p\n\ndeny contains {\"msg\": \"bad\", \"path\": [\"a\"]} if input.a\nwarn_b contains \"meh\" if input.b\nviolation contains \"v\" if input.c\nhelper := 1\n",
    )
    .unwrap();
    let names: Vec<_> = policy.rules().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["deny", "violation", "warn_b"]);
    let eval = policy.evaluate(&json!({"a": true, "b": true}), "yaml", None);
    assert!(eval.errors.is_empty(), "{:?}", eval.errors);
    assert_eq!(eval.hits.len(), 2);
    assert_eq!(eval.hits[0].rule.id(), "X-1");
    assert_eq!(eval.hits[0].rule.meta.severity, Some(Severity::High));
    assert_eq!(eval.hits[1].rule.level, Level::Warning);
}

#[test]
fn a_number_json_cannot_hold_keeps_the_other_findings() {
    let policy = set(
        "package big\n\ndeny contains {\"msg\": \"huge\", \"details\": {\"n\": n}} if n := 1e300 * 1e300\n\ndeny contains \"plain\"\n",
    )
    .expect("compiles");
    let eval = policy.evaluate(&json!({}), "yaml", None);
    assert!(eval.errors.is_empty(), "{:?}", eval.errors);
    let mut messages: Vec<&str> = eval
        .hits
        .iter()
        .map(|h| h.output.message.as_str())
        .collect();
    messages.sort();
    assert_eq!(messages, vec!["huge", "plain"]);
    let details = eval
        .hits
        .iter()
        .find_map(|h| h.output.details.clone())
        .expect("details kept");
    assert!(
        details["n"]
            .as_str()
            .is_some_and(|n| n.starts_with('1') && n.len() > 300),
        "{details}"
    );
}

#[test]
fn v0_policies_are_accepted_and_errors_have_lines() {
    assert!(set("package p\n\ndeny[msg] {\n  input.a\n  msg := \"x\"\n}\n").is_ok());
    let errors = set("package p\n\ndeny contains msg if {\n  msg := \n}\n").unwrap_err();
    assert_eq!(errors[0].file, "p.rego");
    assert!(errors[0].line >= 4, "{:?}", errors[0]);
}

#[test]
fn a_looping_policy_hits_the_deadline() {
    let policy = PolicySet::compile(
        &[PolicySource {
            path: "loop.rego".into(),
            text: "package p\n\ndeny contains \"never\" if {\n  some a in numbers.range(1, 100000)\n  some b in numbers.range(1, 100000)\n  a == 0 - b\n}\n".into(),
        }],
        &[],
        &CompileOptions {
            deadline: Duration::from_millis(200),
            ..CompileOptions::default()
        },
    )
    .unwrap();
    let eval = policy.evaluate(&json!({}), "yaml", None);
    assert_eq!(eval.errors.len(), 1);
    assert!(eval.errors[0].timed_out);
}

#[test]
fn kubernetes_groups_of_the_built_in_library_run_on_the_vm() {
    let set = compile_on(EngineKind::Vm, &crate::builtin::all());
    let compiled = |set: &PolicySet| set.split.as_ref().map_or(0, |s| s.programs_compiled());
    assert_eq!(compiled(&set), 0, "programs compile on first use");
    let on_interpreter = set.prepare("kubernetes", crate::input::is_kubernetes_kind);
    assert!(on_interpreter.is_empty(), "{on_interpreter:?}");
    let prepared = compiled(&set);
    assert!(prepared > 1, "every Kubernetes group is compiled up front");
    assert!(prepared < set.groups.iter().count(), "and only those");
    for kind in [
        "Deployment",
        "Pod",
        "CronJob",
        "Service",
        "ClusterRole",
        "ConfigMap",
    ] {
        assert!(set.runs_on_vm("kubernetes", Some(kind)), "{kind}");
    }
    // Terraform and ARM helpers use walk(), which the VM does not compile yet.
    let interpreted = set.interpreted_groups();
    assert!(!interpreted.is_empty());
    for (ids, reason) in interpreted {
        assert!(reason.contains("walk"), "{ids:?}: {reason}");
    }
    assert!(!set.prepare("terraform", |_| true).is_empty());
    let reference = compile_on(EngineKind::Interpreter, &crate::builtin::all());
    assert!(!reference.runs_on_vm("kubernetes", Some("Deployment")));
    assert!(reference.interpreted_groups().is_empty());
}

fn compile_on(engine: EngineKind, policies: &[PolicySource]) -> PolicySet {
    PolicySet::compile(
        policies,
        &[],
        &CompileOptions {
            engine,
            ..CompileOptions::default()
        },
    )
    .expect("test policies compile")
}

fn set_on(engine: EngineKind, text: &str) -> PolicySet {
    compile_on(
        engine,
        &[PolicySource {
            path: "p.rego".into(),
            text: text.into(),
        }],
    )
}

fn messages(eval: &Evaluation) -> Vec<String> {
    eval.hits.iter().map(|h| h.output.message.clone()).collect()
}

#[test]
fn the_vm_fails_a_body_whose_assignment_is_undefined_as_the_interpreter_does() {
    // Without the guard, regorus' VM binds `r` to undefined and `not r.cpu` holds.
    let text = "package p\n\nrequests(c) := r if {\n\tr := c.resources.requests\n\tis_object(r)\n}\n\ndeny contains \"no cpu request\" if {\n\tr := requests(input)\n\tnot r.cpu\n}\n\ndeny contains \"no name\" if {\n\tn := input.metadata.name\n\tnot startswith(n, \"app-\")\n}\n";
    let inputs = [
        json!({"resources": {}}),
        json!({"resources": {"requests": {"memory": "1Gi"}}, "metadata": {"name": "web"}}),
    ];
    let vm = set_on(EngineKind::Vm, text);
    let interpreter = set_on(EngineKind::Interpreter, text);
    assert!(vm.runs_on_vm("yaml", None));
    assert!(!interpreter.runs_on_vm("yaml", None));
    let mut on_vm = Vec::new();
    for input in &inputs {
        let (a, b) = (
            vm.evaluate(input, "yaml", None),
            interpreter.evaluate(input, "yaml", None),
        );
        assert!(a.errors.is_empty() && b.errors.is_empty(), "{a:?} {b:?}");
        assert_eq!(messages(&a), messages(&b), "{input}");
        on_vm.push(messages(&a));
    }
    assert!(on_vm[0].is_empty(), "{on_vm:?}");
    assert_eq!(on_vm[1], ["no cpu request", "no name"]);
}

#[test]
fn a_looping_policy_hits_the_deadline_on_the_vm() {
    let text = "package p\n\ndeny contains \"x\" if {\n\tsome i in numbers.range(1, 20000)\n\tsome j in numbers.range(1, 20000)\n\ti + j < 0\n}\n";
    let set = PolicySet::compile(
        &[PolicySource {
            path: "p.rego".into(),
            text: text.into(),
        }],
        &[],
        &CompileOptions {
            engine: EngineKind::Vm,
            deadline: std::time::Duration::from_millis(200),
            ..CompileOptions::default()
        },
    )
    .expect("compiles");
    assert!(set.runs_on_vm("yaml", None));
    let started = std::time::Instant::now();
    let eval = set.evaluate(&json!({}), "yaml", None);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(eval.errors.len(), 1, "{eval:?}");
    assert!(eval.errors[0].timed_out, "{eval:?}");
}

#[test]
fn groups_the_vm_cannot_compile_run_on_the_interpreter() {
    // walk() is not compiled by regorus 0.14.1's VM; the group still evaluates.
    let set = set_on(
        EngineKind::Vm,
        "package p\n\ndeny contains sprintf(\"%v\", [v]) if {\n\twalk(input, [_, v])\n\tv == \"bad\"\n}\n",
    );
    assert!(!set.runs_on_vm("yaml", None));
    let (ids, reason) = &set.interpreted_groups()[0];
    assert_eq!(ids, &["p.deny"]);
    assert!(reason.contains("walk"), "{reason}");
    let eval = set.evaluate(&json!({"a": ["bad"]}), "yaml", None);
    assert_eq!(messages(&eval), ["bad"]);
}
