//! Finds calls to functions that exist nowhere: not a builtin, not a function
//! of the policy set. regorus only notices them when the call is reached during
//! an evaluation; OPA rejects them at compile time, and so does Railyard.

use std::collections::{HashMap, HashSet};

use regorus::unstable::{Expr, Literal, Module, Query, Rule, RuleHead, Span, BUILTINS};

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

/// Every call in `modules` that names no builtin and no user function.
pub fn undefined_calls(modules: &[regorus::unstable::Ref<Module>]) -> Vec<UndefinedCall> {
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
    let mut out = Vec::new();
    for module in modules {
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
        let mut walker = Walker {
            scope: &scope,
            out: &mut out,
        };
        for rule in &module.policy {
            walker.rule(rule);
        }
    }
    out
}

struct Scope<'f> {
    package: String,
    imports: HashMap<String, String>,
    functions: &'f HashSet<String>,
}

impl Scope<'_> {
    fn defined(&self, name: &str) -> bool {
        if name == "print" || BUILTINS.contains_key(name) {
            return true;
        }
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
        self.functions.contains(&full)
    }
}

struct Walker<'s, 'f> {
    scope: &'s Scope<'f>,
    out: &'s mut Vec<UndefinedCall>,
}

impl Walker<'_, '_> {
    fn rule(&mut self, rule: &Rule) {
        match rule {
            Rule::Spec { head, bodies, .. } => {
                match head {
                    RuleHead::Compr { assign, .. } => {
                        if let Some(a) = assign {
                            self.expr(&a.value);
                        }
                    }
                    RuleHead::Set { key, .. } => {
                        if let Some(k) = key {
                            self.expr(k);
                        }
                    }
                    RuleHead::Func { args, assign, .. } => {
                        args.iter().for_each(|a| self.expr(a));
                        if let Some(a) = assign {
                            self.expr(&a.value);
                        }
                    }
                }
                for body in bodies {
                    if let Some(a) = &body.assign {
                        self.expr(&a.value);
                    }
                    self.query(&body.query);
                }
            }
            Rule::Default { value, .. } => self.expr(value),
        }
    }

    fn query(&mut self, query: &Query) {
        for stmt in &query.stmts {
            match &stmt.literal {
                Literal::SomeVars { .. } => {}
                Literal::SomeIn {
                    key,
                    value,
                    collection,
                    ..
                } => {
                    if let Some(k) = key {
                        self.expr(k);
                    }
                    self.expr(value);
                    self.expr(collection);
                }
                Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => self.expr(expr),
                Literal::Every { domain, query, .. } => {
                    self.expr(domain);
                    self.query(query);
                }
            }
            for with in &stmt.with_mods {
                self.expr(&with.r#as);
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::String { .. }
            | Expr::RawString { .. }
            | Expr::Number { .. }
            | Expr::Bool { .. }
            | Expr::Null { .. }
            | Expr::Var { .. } => {}
            Expr::Array { items, .. } | Expr::Set { items, .. } => {
                items.iter().for_each(|i| self.expr(i))
            }
            Expr::Object { fields, .. } => {
                for (_, k, v) in fields {
                    self.expr(k);
                    self.expr(v);
                }
            }
            Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                self.expr(term);
                self.query(query);
            }
            Expr::ObjectCompr {
                key, value, query, ..
            } => {
                self.expr(key);
                self.expr(value);
                self.query(query);
            }
            Expr::Call { fcn, params, .. } => {
                let name = fcn.span().text();
                if is_plain_ref(fcn) && !self.scope.defined(name) {
                    self.report(name, fcn.span());
                }
                params.iter().for_each(|p| self.expr(p));
            }
            Expr::UnaryExpr { expr, .. } => self.expr(expr),
            Expr::RefDot { refr, .. } => self.expr(refr),
            Expr::RefBrack { refr, index, .. } => {
                self.expr(refr);
                self.expr(index);
            }
            Expr::BinExpr { lhs, rhs, .. }
            | Expr::BoolExpr { lhs, rhs, .. }
            | Expr::ArithExpr { lhs, rhs, .. }
            | Expr::AssignExpr { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            Expr::Membership {
                key,
                value,
                collection,
                ..
            } => {
                if let Some(k) = key {
                    self.expr(k);
                }
                self.expr(value);
                self.expr(collection);
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
