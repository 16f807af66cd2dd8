//! Evaluating all the rules that apply to a document in one query.
//!
//! regorus clears its rule cache between `eval_rule` calls, so evaluating rule
//! by rule recomputes every shared helper rule (a document's containers, its
//! pod spec, ...) once per rule. Instead, at compile time Railyard generates one
//! small package per distinct set of applicable rules (`r<N> := data.<pkg>.<rule>`,
//! gathered in one object rule `out`) and evaluates `out` once per document, so
//! helpers are computed once.

use std::collections::{BTreeSet, HashMap};

use super::Rule;

/// The package prefix of generated groups; not a name users write. Each group
/// is a top-level package of its own: querying a package evaluates every
/// package nested under it, so groups must not nest under a common parent.
pub(crate) const PACKAGE: &str = "railyard__batch_";
/// The file name generated groups are reported under.
pub(crate) const FILE: &str = "<railyard:batch>";

/// One generated package: the rules it evaluates and the query that does it.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Its position among the groups (`N`).
    pub id: usize,
    /// `data.railyard__batch_g<N>.out`: one rule, evaluated with `eval_rule`,
    /// since `eval_query` re-walks every module of the set on each call.
    pub query: String,
    /// Indexes into the policy set's rules.
    pub rules: Vec<usize>,
}

/// The query that evaluates group `id`.
pub(crate) fn query(id: usize) -> String {
    format!("data.{PACKAGE}g{id}.out")
}

/// Which group serves which (format, kind), keyed by the targets they match.
#[derive(Debug, Clone, Default)]
pub(crate) struct Groups {
    groups: Vec<Group>,
    by_key: HashMap<(Option<String>, Option<String>), usize>,
    targets_lower: BTreeSet<String>,
    targets: BTreeSet<String>,
}

impl Groups {
    /// Plans the groups for `rules` and returns them with the Rego that defines them.
    pub fn plan(rules: &[std::sync::Arc<Rule>]) -> (Groups, String) {
        let targets: BTreeSet<String> = rules
            .iter()
            .flat_map(|r| r.meta.targets.iter().cloned())
            .collect();
        let targets_lower: BTreeSet<String> =
            targets.iter().map(|t| t.to_ascii_lowercase()).collect();
        let formats: Vec<Option<String>> = std::iter::once(None)
            .chain(targets_lower.iter().cloned().map(Some))
            .collect();
        let kinds: Vec<Option<String>> = std::iter::once(None)
            .chain(targets.iter().cloned().map(Some))
            .collect();
        let mut groups = Groups {
            targets_lower,
            targets,
            ..Groups::default()
        };
        let mut by_rules: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut rego = String::new();
        for format in &formats {
            for kind in &kinds {
                // A format name that matches no target behaves like `None`.
                let format_name = format.as_deref().unwrap_or("\u{0}");
                let applicable: Vec<usize> = rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.applies_to(format_name, kind.as_deref()))
                    .map(|(i, _)| i)
                    .collect();
                let id = *by_rules.entry(applicable.clone()).or_insert_with(|| {
                    let id = groups.groups.len();
                    rego.push_str(&format!("package {PACKAGE}g{id}\n\n"));
                    let mut fields = Vec::with_capacity(applicable.len());
                    for i in &applicable {
                        // The default keeps `out` defined when a rule is undefined.
                        rego.push_str(&format!(
                            "default r{i} := false\nr{i} := {}\n",
                            rules[*i].query
                        ));
                        fields.push(format!("\"r{i}\": r{i}"));
                    }
                    rego.push_str(&format!("out := {{{}}}\n\n", fields.join(", ")));
                    groups.groups.push(Group {
                        id,
                        query: query(id),
                        rules: applicable,
                    });
                    id
                });
                groups.by_key.insert((format.clone(), kind.clone()), id);
            }
        }
        (groups, rego)
    }

    /// Splits the generated Rego into one text per package (regorus takes one package per file).
    pub fn modules(rego: &str) -> Vec<String> {
        rego.split(&format!("package {PACKAGE}"))
            .filter(|chunk| !chunk.trim().is_empty())
            .map(|chunk| format!("package {PACKAGE}{chunk}"))
            .collect()
    }

    /// The groups, in the order of their generated modules.
    pub fn iter(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter()
    }

    /// The groups documents of `format` get (each once) when their kind is
    /// one that `kind` accepts or one that no rule targets.
    pub fn for_format(&self, format: &str, kind: impl Fn(&str) -> bool) -> Vec<&Group> {
        let format = format.to_ascii_lowercase();
        let format_key = self.targets_lower.contains(&format).then_some(format);
        let ids: std::collections::BTreeSet<usize> = self
            .by_key
            .iter()
            .filter(|((f, k), _)| *f == format_key && k.as_deref().is_none_or(&kind))
            .map(|(_, id)| *id)
            .collect();
        ids.into_iter()
            .filter_map(|id| self.groups.get(id))
            .collect()
    }

    /// The group for a document.
    pub fn for_document(&self, format: &str, kind: Option<&str>) -> Option<&Group> {
        let format = format.to_ascii_lowercase();
        let format_key = self.targets_lower.contains(&format).then_some(format);
        let kind_key = kind
            .filter(|k| self.targets.contains(*k))
            .map(str::to_owned);
        self.by_key
            .get(&(format_key, kind_key))
            .and_then(|i| self.groups.get(*i))
    }
}
