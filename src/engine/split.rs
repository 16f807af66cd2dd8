//! One engine per rule group, holding only the modules that group needs.
//!
//! regorus walks every module of an engine each time a rule reads a `data.`
//! path it has not evaluated yet (`ensure_module_evaluated`), so the cost of
//! evaluating a Kubernetes document grows with the Terraform, CloudFormation
//! and ARM libraries loaded beside it. A group (the rules that apply to one
//! kind of document) gets an engine of its own with the modules of its rules'
//! packages and everything they reference, transitively, and nothing else.
//!
//! What a module references is read from its text: every `data.a.b.c` path
//! (imports included). A module is needed when a needed path and its package
//! are one a prefix of the other (`data.railyard.kubernetes.containers` needs
//! package `railyard.kubernetes`; `data.railyard` needs every package under
//! it). A dynamic `data[x]` reads as `data` and pulls in everything, so the
//! guess errs on the side of loading too much, never too little; a test
//! compares the split engines' findings with the whole engine's.
//!
//! Engines are built on first use (a run over Kubernetes manifests never builds
//! the Terraform groups) and then shared: every evaluation clones one.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::Duration;

use super::vm::{self, EngineKind, GroupProgram};
use super::{add_policy, context, evaluate, extensions, PolicySource};

/// A policy module and what it reads.
#[derive(Debug, Clone)]
struct Module {
    policy: PolicySource,
    /// Its package, as dot-separated components (`railyard.kubernetes`).
    package: Vec<String>,
    /// The `data` paths it references, as components (`data` itself is `[]`).
    references: Vec<Vec<String>>,
}

/// The per-group engines of a policy set.
#[derive(Debug)]
pub(super) struct SplitEngines {
    modules: Vec<Module>,
    data: Vec<regorus::Value>,
    /// Per group: its generated batch module and the packages of its rules.
    groups: Vec<(String, Vec<String>)>,
    engines: Vec<OnceLock<Option<regorus::Engine>>>,
    /// Per group: its VM program, or why it has none (see vm/).
    programs: Vec<OnceLock<Result<GroupProgram, String>>>,
    kind: EngineKind,
    deadline: Duration,
}

impl SplitEngines {
    /// Prepares (without building) an engine per group. `packages` maps each
    /// policy file to its package; `groups` holds each group's batch module and
    /// the packages of its rules.
    pub fn new(
        policies: Vec<(PolicySource, String)>,
        data: Vec<regorus::Value>,
        groups: Vec<(String, Vec<String>)>,
        kind: EngineKind,
        deadline: Duration,
    ) -> SplitEngines {
        let modules = policies
            .into_iter()
            .map(|(policy, package)| Module {
                references: references(&policy.text),
                package: components(&package),
                policy,
            })
            .collect();
        SplitEngines {
            modules,
            data,
            engines: groups.iter().map(|_| OnceLock::new()).collect(),
            programs: groups.iter().map(|_| OnceLock::new()).collect(),
            groups,
            kind,
            deadline,
        }
    }

    /// The warmed engine of group `id`, built on first use; `None` when it
    /// could not be built (the caller then uses the whole engine).
    pub fn engine(&self, id: usize) -> Option<&regorus::Engine> {
        self.engines
            .get(id)?
            .get_or_init(|| self.build(id).ok())
            .as_ref()
    }

    /// The VM program of group `id`, compiled on first use; `None` when the
    /// set runs on the interpreter or the group does not compile to the VM.
    pub fn program(&self, id: usize) -> Option<&GroupProgram> {
        self.compiled(id)?.as_ref().ok()
    }

    /// Why group `id` runs on the interpreter under the VM engine (`None`
    /// when it compiles to the VM).
    pub fn program_error(&self, id: usize) -> Option<&str> {
        self.compiled(id)?.as_ref().err().map(String::as_str)
    }

    fn compiled(&self, id: usize) -> Option<&Result<GroupProgram, String>> {
        if self.kind != EngineKind::Vm {
            return None;
        }
        Some(
            self.programs
                .get(id)?
                .get_or_init(|| self.compile_program(id).map_err(|e| format!("{e:#}"))),
        )
    }

    fn compile_program(&self, id: usize) -> anyhow::Result<GroupProgram> {
        let (batch, packages) = self
            .groups
            .get(id)
            .ok_or_else(|| anyhow::anyhow!("no group {id}"))?;
        let policies: Vec<&PolicySource> = self
            .needed(packages)
            .into_iter()
            .map(|i| &self.modules[i].policy)
            .collect();
        let path = format!("{}#{id}", super::batch::FILE);
        let query = super::batch::query(id);
        vm::compile(&policies, &self.data, batch, &path, &query)
    }

    /// How many groups have had their VM program compiled (or tried).
    #[cfg(test)]
    pub fn programs_compiled(&self) -> usize {
        self.programs.iter().filter(|p| p.get().is_some()).count()
    }

    /// The files an engine for `packages` loads, in load order.
    #[cfg(test)]
    pub fn files_for(&self, packages: &[String]) -> Vec<&str> {
        self.needed(packages)
            .into_iter()
            .map(|i| self.modules[i].policy.path.as_str())
            .collect()
    }

    fn build(&self, id: usize) -> anyhow::Result<regorus::Engine> {
        let (batch, packages) = self
            .groups
            .get(id)
            .ok_or_else(|| anyhow::anyhow!("no group {id}"))?;
        let mut engine = regorus::Engine::new();
        engine.set_gather_prints(true);
        for i in self.needed(packages) {
            add_policy(&mut engine, &self.modules[i].policy)?;
        }
        for value in &self.data {
            engine.add_data(value.clone())?;
        }
        extensions::register(&mut engine);
        context::register(&mut engine)?;
        engine.add_policy(format!("{}#{id}", super::batch::FILE), batch.clone())?;
        // Warm it as the whole engine is warmed: analysis happens on first evaluation.
        engine.eval_query("true".to_string(), false)?;
        let _ = engine.take_prints();
        engine.set_execution_timer_config(evaluate::timer(self.deadline));
        Ok(engine)
    }

    /// Indexes of the modules the packages need, transitively, in file order.
    fn needed(&self, packages: &[String]) -> Vec<usize> {
        let mut wanted: Vec<Vec<String>> = packages
            .iter()
            .map(|p| components(&format!("data.{p}")))
            .collect();
        let mut taken: BTreeSet<usize> = BTreeSet::new();
        loop {
            let before = taken.len();
            for (i, module) in self.modules.iter().enumerate() {
                if taken.contains(&i) {
                    continue;
                }
                if wanted.iter().any(|path| related(path, &module.package)) {
                    taken.insert(i);
                    wanted.extend(module.references.iter().cloned());
                }
            }
            if taken.len() == before {
                return taken.into_iter().collect();
            }
        }
    }
}

/// Dot-separated components of a path or package.
fn components(path: &str) -> Vec<String> {
    path.split('.')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether a referenced path (`data`, then components) and a package overlap:
/// one is a prefix of the other, component by component.
fn related(path: &[String], package: &[String]) -> bool {
    let Some(rest) = path.split_first().map(|(_, rest)| rest) else {
        return false;
    };
    rest.iter().zip(package).all(|(a, b)| a == b)
}

/// Every `data...` path a module's text reads, as components starting with
/// `data`. An import counts through its uses: with `import data.lib.k8s`,
/// `k8s.containers(x)` reads `data.lib.k8s.containers`, not the whole
/// package (which would pull in every package nested below it).
fn references(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut aliases = Vec::new();
    let mut body = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("import data") {
            let mut words = rest.split_whitespace();
            let path = format!("data{}", words.next().unwrap_or_default());
            let path = components(&path);
            let alias = match (words.next(), words.next()) {
                (Some("as"), Some(alias)) => alias.to_owned(),
                _ => path.last().cloned().unwrap_or_default(),
            };
            if path.len() == 1 || path.iter().any(|c| c.contains('[')) {
                out.push(vec!["data".to_owned()]);
            }
            aliases.push((alias, path));
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    out.extend(paths_after(&body, "data", &["data".to_owned()]));
    for (alias, path) in &aliases {
        out.extend(paths_after(&body, alias, path));
    }
    out.sort();
    out.dedup();
    out
}

/// The paths `word.a.b` in `text` (whole-word `word` only), each as `base`
/// followed by the components after the word.
fn paths_after(text: &str, word: &str, base: &[String]) -> Vec<Vec<String>> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find(word) {
        let start = at + found;
        let mut end = start + word.len();
        at = end;
        if start > 0 && (ident(bytes[start - 1]) || bytes[start - 1] == b'.') {
            continue;
        }
        if end < bytes.len() && ident(bytes[end]) {
            continue;
        }
        let mut path = base.to_vec();
        while end < bytes.len() && bytes[end] == b'.' {
            let next = end + 1;
            let mut stop = next;
            while stop < bytes.len() && ident(bytes[stop]) {
                stop += 1;
            }
            if stop == next {
                break;
            }
            path.push(text[next..stop].to_owned());
            end = stop;
        }
        out.push(path);
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_data_paths_and_dynamic_ones_stop_at_the_bracket() {
        let refs = references(
            "package a\nimport data.lib.k8s\nimport data.lib.tf as terraform\nx := data.other.thing.y\nz := data[name].q\nmydata := 1\nw := input.data.v\nc := k8s.containers(input)\nk8s_x := 1\nr := terraform.resources\n",
        );
        let refs: Vec<String> = refs.iter().map(|r| r.join(".")).collect();
        assert_eq!(
            refs,
            vec![
                "data",
                "data.lib.k8s.containers",
                "data.lib.tf.resources",
                "data.other.thing.y"
            ]
        );
    }

    #[test]
    fn a_group_loads_its_packages_and_what_they_reference_only() {
        let policy = |path: &str, text: &str| {
            let package = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("package "))
                .unwrap_or_default()
                .to_owned();
            (
                PolicySource {
                    path: path.into(),
                    text: text.into(),
                },
                package,
            )
        };
        let split = SplitEngines::new(
            vec![
                policy("lib.rego", "package lib.k8s\nc := 1\n"),
                policy("tf.rego", "package lib.tf\nr := 1\n"),
                policy(
                    "rule.rego",
                    "package rules.pods\nimport data.lib.k8s\ndeny contains 1 if k8s.c\n",
                ),
                policy(
                    "dyn.rego",
                    "package rules.dynamic\ndeny contains 1 if data[input.x]\n",
                ),
            ],
            Vec::new(),
            Vec::new(),
            EngineKind::Interpreter,
            Duration::from_secs(1),
        );
        assert_eq!(
            split.files_for(&["rules.pods".into()]),
            vec!["lib.rego", "rule.rego"]
        );
        assert_eq!(split.files_for(&["rules.dynamic".into()]).len(), 4);
    }
}
