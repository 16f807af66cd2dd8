//! Reading the compiled modules for what Railyard runs: the `deny`/`violation`/`warn`
//! rules (with their metadata resolved), the `test_*` rules and the Conftest
//! `exception` rules.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use regorus::unstable::{Rule as AstRule, RuleHead};

use super::{is_test_file, metadata, ExceptionRule, Level, Rule, TestCase};

const RULE_PREFIXES: [(&str, Level); 3] = [
    ("deny", Level::Failure),
    ("violation", Level::Failure),
    ("warn", Level::Warning),
];

fn rule_level(name: &str) -> Option<Level> {
    RULE_PREFIXES.iter().find_map(|(prefix, level)| {
        let rest = name.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with('_')).then_some(*level)
    })
}

pub(super) fn collect_rules(
    engine: &mut regorus::Engine,
    metas: &BTreeMap<String, metadata::FileMeta>,
) -> Collected {
    let mut rules = Vec::new();
    let mut tests = Vec::new();
    let mut exceptions = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut package_metas = HashMap::new();
    for module in engine.get_modules().iter() {
        let file = module.package.span.source.file();
        if let Some(meta) = metas.get(file).and_then(|m| m.package.clone()) {
            package_metas
                .entry(module.package.refr.span().text().to_owned())
                .or_insert(meta);
        }
    }
    for module in engine.get_modules().iter() {
        let package = module.package.refr.span().text().to_owned();
        for rule in &module.policy {
            let (refr, span) = match rule.as_ref() {
                AstRule::Spec { head, span, .. } => match head {
                    RuleHead::Compr { refr, .. }
                    | RuleHead::Set { refr, .. }
                    | RuleHead::Func { refr, .. } => (refr, span),
                },
                AstRule::Default { refr, span, .. } => (refr, span),
            };
            let name = refr.span().text().to_owned();
            let file = span.source.file().clone();
            let line = span.line as usize;
            if !seen.insert((package.clone(), name.clone())) {
                continue;
            }
            if name == EXCEPTION && !is_test_file(&file) {
                exceptions.insert(
                    package.clone(),
                    Arc::new(ExceptionRule {
                        query: format!("data.{package}.{name}"),
                        package: package.clone(),
                        file,
                        line,
                    }),
                );
                continue;
            }
            if name.starts_with("test_") {
                tests.push(TestCase {
                    package: package.clone(),
                    name,
                    file,
                    line,
                });
                continue;
            }
            let Some(level) = rule_level(&name) else {
                continue;
            };
            if is_test_file(&file) {
                continue;
            }
            let file_meta = metas.get(&file);
            // Package-scope metadata may sit in another file of the same package.
            let package_meta = file_meta
                .and_then(|m| m.package.clone())
                .or_else(|| package_metas.get(&package).cloned())
                .unwrap_or_default();
            let meta = file_meta
                .and_then(|m| m.rules.get(&name))
                .map_or_else(|| package_meta.clone(), |r| r.or(&package_meta));
            rules.push(Arc::new(Rule {
                query: format!("data.{package}.{name}"),
                package: package.clone(),
                name,
                level,
                meta,
                file,
                line,
            }));
        }
    }
    rules.sort_by(|a, b| (&a.package, &a.name).cmp(&(&b.package, &b.name)));
    tests.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Collected {
        rules,
        tests,
        exceptions,
    }
}

/// What [`collect_rules`] finds in the compiled modules.
pub(super) struct Collected {
    pub rules: Vec<Arc<Rule>>,
    pub tests: Vec<TestCase>,
    pub exceptions: BTreeMap<String, Arc<ExceptionRule>>,
}

/// The name of Conftest's exception rule.
const EXCEPTION: &str = "exception";
