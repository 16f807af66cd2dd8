//! Walking regorus' parsed rules: every expression a rule evaluates, and every
//! statement with the query that holds it. The static checks (calls.rs) and the
//! VM guard (vm/guard.rs) both walk rules this way; each says what it does at
//! an expression or a statement, and the traversal lives here once.
//!
//! Not visited: a rule's name (`refr` of its head) and the function part of a
//! call (`k8s.containers` in `k8s.containers(input)`): names, not evaluation.

use regorus::unstable::{Expr, Literal, LiteralStmt, Query, Rule, RuleHead};

/// What a walk does along the way.
pub(crate) trait Visitor {
    /// Called on each expression before its parts.
    fn expr(&mut self, _expr: &Expr) {}
    /// Called on each statement after its expressions (and those of its `with`
    /// modifiers), with the query that holds it.
    fn stmt(&mut self, _query: &Query, _stmt: &LiteralStmt) {}
}

/// Walks a rule: its head's values, its bodies and their values.
pub(crate) fn rule(v: &mut impl Visitor, rule: &Rule) {
    match rule {
        Rule::Spec { head, bodies, .. } => {
            match head {
                RuleHead::Compr { assign, .. } => {
                    if let Some(a) = assign {
                        expr(v, &a.value);
                    }
                }
                RuleHead::Set { key, .. } => {
                    if let Some(k) = key {
                        expr(v, k);
                    }
                }
                RuleHead::Func { args, assign, .. } => {
                    args.iter().for_each(|a| expr(v, a));
                    if let Some(a) = assign {
                        expr(v, &a.value);
                    }
                }
            }
            for body in bodies {
                if let Some(a) = &body.assign {
                    expr(v, &a.value);
                }
                query(v, &body.query);
            }
        }
        Rule::Default { value, .. } => expr(v, value),
    }
}

/// Walks a query's statements in order.
pub(crate) fn query(v: &mut impl Visitor, query: &Query) {
    for stmt in &query.stmts {
        match &stmt.literal {
            Literal::SomeVars { .. } => {}
            Literal::SomeIn {
                key,
                value,
                collection,
                ..
            } => membership(v, key.as_deref(), value, collection),
            Literal::Expr { expr: e, .. } | Literal::NotExpr { expr: e, .. } => expr(v, e),
            Literal::Every {
                domain, query: q, ..
            } => {
                expr(v, domain);
                self::query(v, q);
            }
        }
        for with in &stmt.with_mods {
            expr(v, &with.refr);
            expr(v, &with.r#as);
        }
        v.stmt(query, stmt);
    }
}

/// Walks an expression and its parts, comprehension bodies included.
pub(crate) fn expr(v: &mut impl Visitor, e: &Expr) {
    v.expr(e);
    match e {
        Expr::String { .. }
        | Expr::RawString { .. }
        | Expr::Number { .. }
        | Expr::Bool { .. }
        | Expr::Null { .. }
        | Expr::Var { .. } => {}
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            items.iter().for_each(|i| expr(v, i));
        }
        Expr::Object { fields, .. } => {
            for (_, k, value) in fields {
                expr(v, k);
                expr(v, value);
            }
        }
        Expr::ArrayCompr { term, query: q, .. } | Expr::SetCompr { term, query: q, .. } => {
            expr(v, term);
            query(v, q);
        }
        Expr::ObjectCompr {
            key,
            value,
            query: q,
            ..
        } => {
            expr(v, key);
            expr(v, value);
            query(v, q);
        }
        Expr::Call { params, .. } => params.iter().for_each(|p| expr(v, p)),
        Expr::UnaryExpr { expr: inner, .. } | Expr::RefDot { refr: inner, .. } => expr(v, inner),
        Expr::RefBrack { refr, index, .. } => {
            expr(v, refr);
            expr(v, index);
        }
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => {
            expr(v, lhs);
            expr(v, rhs);
        }
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => membership(v, key.as_deref(), value, collection),
    }
}

/// `key, value in collection`, as a statement (`some ... in`) or an expression.
fn membership(v: &mut impl Visitor, key: Option<&Expr>, value: &Expr, collection: &Expr) {
    if let Some(k) = key {
        expr(v, k);
    }
    expr(v, value);
    expr(v, collection);
}
