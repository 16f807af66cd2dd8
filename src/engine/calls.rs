//! Static checks over the parsed policies that regorus leaves to evaluation:
//! calls to functions that exist nowhere (not a builtin, not a function of the
//! set), and recursion between functions and rules. regorus notices the first
//! only when the call is reached, and overflows its stack on the second, which
//! would take down the process; OPA rejects both at compile time, and so does
//! Railyard.

use std::collections::{HashMap, HashSet};

use regorus::unstable::{Expr, Module, Rule, RuleHead, Span, BUILTINS};

use super::ast::{self, Visitor};

/// A call that resolves to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndefinedCall {
    /// The name as written.
    pub name: String,
    /// Policy file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// A chain of definitions that leads back to its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// Full paths of the definitions, the first repeated at the end.
    pub chain: Vec<String>,
    /// Where the first definition is: file, 1-based line and column.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What the static checks found.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Calls that resolve to nothing.
    pub undefined: Vec<UndefinedCall>,
    /// Recursion, each cycle once.
    pub cycles: Vec<Cycle>,
    /// Imports whose name is never referenced in their module.
    pub unused_imports: Vec<UnusedImport>,
}

/// An import whose alias (or last path segment) no expression of its module uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedImport {
    /// The imported path as written (`data.railyard.kubernetes`).
    pub path: String,
    /// The name it is referred to by.
    pub alias: String,
    /// Policy file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Runs both checks over `modules`.
pub fn analyze(modules: &[regorus::unstable::Ref<Module>]) -> Analysis {
    let functions: HashSet<String> = modules
        .iter()
        .flat_map(|m| {
            let package = m.package.refr.span().text().to_owned();
            m.policy.iter().filter_map(move |rule| match rule.as_ref() {
                Rule::Spec {
                    head: RuleHead::Func { refr, .. },
                    ..
                }
                | Rule::Default { refr, .. } => {
                    Some(format!("data.{package}.{}", refr.span().text()))
                }
                _ => None,
            })
        })
        .collect();
    let mut definitions: HashMap<String, (String, usize, usize)> = HashMap::new();
    for module in modules {
        let package = module.package.refr.span().text().to_owned();
        for rule in &module.policy {
            let (refr, span) = match rule.as_ref() {
                Rule::Spec { head, span, .. } => match head {
                    RuleHead::Compr { refr, .. }
                    | RuleHead::Set { refr, .. }
                    | RuleHead::Func { refr, .. } => (refr, span),
                },
                Rule::Default { refr, span, .. } => (refr, span),
            };
            definitions
                .entry(format!("data.{package}.{}", refr.span().text()))
                .or_insert_with(|| {
                    (
                        span.source.file().clone(),
                        span.line as usize,
                        span.col as usize,
                    )
                });
        }
    }
    let mut out = Vec::new();
    let mut unused_imports = Vec::new();
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    for module in modules {
        let mut names = HashSet::new();
        let scope = Scope {
            package: module.package.refr.span().text().to_owned(),
            imports: module
                .imports
                .iter()
                .map(|import| {
                    let target = import.refr.span().text().to_owned();
                    let alias = match &import.r#as {
                        Some(alias) => alias.text().to_owned(),
                        None => target.rsplit('.').next().unwrap_or(&target).to_owned(),
                    };
                    (alias, target)
                })
                .collect(),
            functions: &functions,
        };
        for rule in &module.policy {
            let refr = match rule.as_ref() {
                Rule::Spec { head, .. } => match head {
                    RuleHead::Compr { refr, .. }
                    | RuleHead::Set { refr, .. }
                    | RuleHead::Func { refr, .. } => refr,
                },
                Rule::Default { refr, .. } => refr,
            };
            let mut walker = Walker {
                scope: &scope,
                definitions: &definitions,
                out: &mut out,
                uses: Vec::new(),
                names: &mut names,
            };
            ast::rule(&mut walker, rule);
            let from = format!("data.{}.{}", scope.package, refr.span().text());
            edges.entry(from).or_default().extend(walker.uses);
        }
        for import in &module.imports {
            let path = import.refr.span().text().to_owned();
            // `rego.v1` and `future.keywords` switch syntax on: they are never referenced.
            if path.starts_with("rego.") || path.starts_with("future.") {
                continue;
            }
            let alias = match &import.r#as {
                Some(alias) => alias.text().to_owned(),
                None => path.rsplit('.').next().unwrap_or(&path).to_owned(),
            };
            if alias == "_" || names.contains(&alias) {
                continue;
            }
            unused_imports.push(UnusedImport {
                path,
                alias,
                file: import.span.source.file().clone(),
                line: import.span.line as usize,
                column: import.span.col as usize,
            });
        }
    }
    Analysis {
        undefined: out,
        cycles: find_cycles(&edges, &definitions),
        unused_imports,
    }
}

/// Depth-first search for back edges; each cycle is reported once, from the
/// definition where the search first met it.
fn find_cycles(
    edges: &HashMap<String, Vec<String>>,
    definitions: &HashMap<String, (String, usize, usize)>,
) -> Vec<Cycle> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    let mut cycles = Vec::new();
    let mut seen_cycles: HashSet<Vec<String>> = HashSet::new();
    let mut roots: Vec<&String> = edges.keys().collect();
    roots.sort();
    for root in roots {
        if marks.contains_key(root.as_str()) {
            continue;
        }
        // Iterative DFS: (node, index of the next edge to follow).
        let mut stack: Vec<(&str, usize)> = vec![(root.as_str(), 0)];
        marks.insert(root.as_str(), Mark::Open);
        while let Some((node, next)) = stack.last_mut() {
            let targets = edges.get(*node).map(Vec::as_slice).unwrap_or(&[]);
            let Some(target) = targets.get(*next) else {
                marks.insert(node, Mark::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            match marks.get(target.as_str()) {
                Some(Mark::Done) => {}
                Some(Mark::Open) => {
                    let start = stack
                        .iter()
                        .position(|(n, _)| *n == target.as_str())
                        .unwrap_or(0);
                    let mut chain: Vec<String> = stack[start..]
                        .iter()
                        .map(|(n, _)| (*n).to_owned())
                        .collect();
                    let mut key = chain.clone();
                    key.sort();
                    chain.push(target.clone());
                    if seen_cycles.insert(key) {
                        let (file, line, column) =
                            definitions.get(&chain[0]).cloned().unwrap_or_default();
                        cycles.push(Cycle {
                            chain,
                            file,
                            line,
                            column,
                        });
                    }
                }
                None => {
                    marks.insert(target.as_str(), Mark::Open);
                    stack.push((target.as_str(), 0));
                }
            }
        }
    }
    cycles
}

struct Scope<'f> {
    package: String,
    imports: HashMap<String, String>,
    functions: &'f HashSet<String>,
}

impl Scope<'_> {
    fn defined(&self, name: &str) -> bool {
        if name == "print" || BUILTINS.contains_key(name) || super::extensions::is_extension(name) {
            return true;
        }
        self.functions.contains(&self.full_path(name))
    }

    /// The `data.` path a name written in this module stands for.
    fn full_path(&self, name: &str) -> String {
        let (first, rest) = name.split_once('.').unwrap_or((name, ""));
        let full = if first == "data" {
            name.to_owned()
        } else if let Some(target) = self.imports.get(first) {
            if rest.is_empty() {
                target.clone()
            } else {
                format!("{target}.{rest}")
            }
        } else {
            format!("data.{}.{name}", self.package)
        };
        full
    }
}

struct Walker<'s, 'f> {
    scope: &'s Scope<'f>,
    definitions: &'s HashMap<String, (String, usize, usize)>,
    out: &'s mut Vec<UndefinedCall>,
    /// Definitions the current rule refers to (calls, and explicit `data.` refs).
    uses: Vec<String>,
    /// Every variable name referenced in the module (the first segment of refs and calls).
    names: &'s mut HashSet<String>,
}

impl Visitor for Walker<'_, '_> {
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Var { span, .. } => {
                self.names.insert(span.text().to_owned());
            }
            Expr::Call { fcn, .. } => {
                let name = fcn.span().text();
                let first = name.split('.').next().unwrap_or(name);
                self.names.insert(first.to_owned());
                if is_plain_ref(fcn) {
                    if !self.scope.defined(name) {
                        self.report(name, fcn.span());
                    } else if !BUILTINS.contains_key(name) && name != "print" {
                        self.uses.push(self.scope.full_path(name));
                    }
                }
            }
            // Bare names are not followed (a local variable may shadow a rule);
            // explicit `data.` paths and import aliases are.
            Expr::RefDot { .. } if is_plain_ref(expr) => self.data_ref(expr.span().text()),
            _ => {}
        }
    }
}

impl Walker<'_, '_> {
    /// Records a reference such as `data.lib.helpers.x` (or `alias.x`) to the
    /// longest defined prefix.
    fn data_ref(&mut self, text: &str) {
        let (first, _) = text.split_once('.').unwrap_or((text, ""));
        if first != "data" && !self.scope.imports.contains_key(first) {
            return;
        }
        let mut path = self.scope.full_path(text);
        loop {
            if self.definitions.contains_key(&path) {
                self.uses.push(path);
                return;
            }
            match path.rfind('.') {
                Some(i) => path.truncate(i),
                None => return,
            }
        }
    }

    fn report(&mut self, name: &str, span: &Span) {
        self.out.push(UndefinedCall {
            name: name.to_owned(),
            file: span.source.file().clone(),
            line: span.line as usize,
            column: span.col as usize,
        });
    }
}

/// Whether a call target is a dotted name (`a.b.c`) that can be resolved statically.
fn is_plain_ref(expr: &Expr) -> bool {
    match expr {
        Expr::Var { .. } => true,
        Expr::RefDot { refr, .. } => is_plain_ref(refr),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze_text(files: &[(&str, &str)]) -> Analysis {
        let mut engine = regorus::Engine::new();
        for (path, text) in files {
            engine
                .add_policy((*path).to_owned(), (*text).to_owned())
                .expect("test policy parses");
        }
        analyze(engine.get_modules())
    }

    #[test]
    fn direct_and_mutual_recursion_are_cycles() {
        let a = analyze_text(&[(
            "r.rego",
            "package r\n\nf(x) := y if {\n  y := f(x)\n}\n\ng(x) := h(x)\nh(x) := g(x)\n\ndeny contains m if m := f(1)\n",
        )]);
        assert_eq!(a.cycles.len(), 2, "{:?}", a.cycles);
        assert_eq!(a.cycles[0].chain, ["data.r.f", "data.r.f"]);
        assert_eq!(a.cycles[0].line, 3);
        assert!(a.undefined.is_empty());
    }

    #[test]
    fn cycles_across_packages_through_imports_and_data_refs() {
        let a = analyze_text(&[
            (
                "a.rego",
                "package a\n\nimport data.b as other\n\nf(x) := other.g(x)\n",
            ),
            ("b.rego", "package b\n\ng(x) := data.a.f(x)\n"),
        ]);
        assert_eq!(a.cycles.len(), 1, "{:?}", a.cycles);
    }

    #[test]
    fn helpers_calling_helpers_is_not_a_cycle_and_unknown_calls_are_reported() {
        let a = analyze_text(&[(
            "ok.rego",
            "package ok\n\nf(x) := g(x)\ng(x) := upper(x)\nrule := data.ok.f(\"a\")\nbad := nope(1)\n",
        )]);
        assert!(a.cycles.is_empty(), "{:?}", a.cycles);
        assert_eq!(a.undefined.len(), 1);
        assert_eq!(a.undefined[0].name, "nope");
    }

    #[test]
    fn imports_never_referenced_are_unused() {
        let a = analyze_text(&[(
            "i.rego",
            "package i\n\nimport rego.v1\nimport data.lib.a\nimport data.lib.b as bee\nimport data.lib.c\nimport data.lib.d\n\nx := a.f(1)\ny := bee.z\nz if c\nw := true if { true with input as d.v }\n",
        ), ("lib.rego", "package lib.a\n\nf(x) := x\n")]);
        let names: Vec<_> = a.unused_imports.iter().map(|u| u.alias.as_str()).collect();
        assert!(names.is_empty(), "{:?}", a.unused_imports);
        let a = analyze_text(&[(
            "u.rego",
            "package u\n\nimport data.lib.a\nimport data.lib.b as bee\n\nx := \"a\"\nbee_1 := 1\n",
        )]);
        let found: Vec<_> = a
            .unused_imports
            .iter()
            .map(|u| (u.alias.as_str(), u.line))
            .collect();
        assert_eq!(found, [("a", 3), ("bee", 4)]);
    }
}
