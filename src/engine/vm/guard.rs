//! The one rewrite a policy needs before regorus' VM runs it.
//!
//! In Rego, `x := expr` fails the body when `expr` is undefined. regorus'
//! bytecode compiler (0.14.1) binds `x` to undefined instead and goes on, so
//! `r := requests(c); not r.cpu` succeeds where OPA (and regorus' own
//! interpreter) fail: a finding out of nothing. Until that is fixed upstream,
//! every such assignment gets a guard right after it, `; type_name(x)`, which
//! is undefined (and fails the body) exactly when `x` is, and a no-op
//! otherwise. The rewritten text only ever feeds the VM compiler; findings,
//! errors and coverage keep pointing at the file as written, and the guard
//! goes on the same line, so VM errors point at the right line too.
//!
//! Assignments from a constant or a comprehension are always defined and get
//! no guard. A statement the guard cannot follow safely (a body without braces,
//! `if x := input.a`) makes the rewrite fail, and the caller keeps the
//! interpreter for the rules that need the file.

use regorus::unstable::{AssignOp, Expr, ExprRef, Literal, Module, Query, Rule, RuleHead};

/// Why a module cannot be guarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unguardable {
    /// 1-based line of the assignment.
    pub line: u32,
}

/// `text` (the source of `module`) with a guard after every assignment that
/// can bind undefined.
pub fn guard(module: &Module, text: &str) -> Result<String, Unguardable> {
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for rule in &module.policy {
        match rule.as_ref() {
            Rule::Spec { head, bodies, .. } => {
                head_exprs(head, &mut |e| walk_expr(e, text, &mut inserts))?;
                for body in bodies {
                    if let Some(assign) = &body.assign {
                        walk_expr(&assign.value, text, &mut inserts)?;
                    }
                    walk_query(&body.query, text, &mut inserts)?;
                }
            }
            Rule::Default { value, .. } => walk_expr(value, text, &mut inserts)?,
        }
    }
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(text.len() + inserts.len() * 24);
    let mut from = 0;
    for (at, guard) in inserts {
        let Some(chunk) = text.get(from..at) else {
            // A span regorus gave us that does not fit the text: do not guess.
            return Err(Unguardable { line: 0 });
        };
        out.push_str(chunk);
        out.push_str(&guard);
        from = at;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    Ok(out)
}

type Inserts = Vec<(usize, String)>;

fn head_exprs(
    head: &RuleHead,
    visit: &mut dyn FnMut(&ExprRef) -> Result<(), Unguardable>,
) -> Result<(), Unguardable> {
    match head {
        RuleHead::Compr { refr, assign, .. } => {
            visit(refr)?;
            if let Some(assign) = assign {
                visit(&assign.value)?;
            }
        }
        RuleHead::Set { refr, key, .. } => {
            visit(refr)?;
            if let Some(key) = key {
                visit(key)?;
            }
        }
        RuleHead::Func {
            refr, args, assign, ..
        } => {
            visit(refr)?;
            for arg in args {
                visit(arg)?;
            }
            if let Some(assign) = assign {
                visit(&assign.value)?;
            }
        }
    }
    Ok(())
}

fn walk_query(query: &Query, text: &str, inserts: &mut Inserts) -> Result<(), Unguardable> {
    for stmt in &query.stmts {
        for with in &stmt.with_mods {
            walk_expr(&with.refr, text, inserts)?;
            walk_expr(&with.r#as, text, inserts)?;
        }
        match &stmt.literal {
            Literal::SomeVars { .. } => {}
            Literal::SomeIn {
                key,
                value,
                collection,
                ..
            } => {
                if let Some(key) = key {
                    walk_expr(key, text, inserts)?;
                }
                walk_expr(value, text, inserts)?;
                walk_expr(collection, text, inserts)?;
            }
            Literal::Expr { expr, .. } => {
                walk_expr(expr, text, inserts)?;
                if let Expr::AssignExpr {
                    op: AssignOp::ColEq,
                    lhs,
                    rhs,
                    ..
                } = expr.as_ref()
                {
                    if can_be_undefined(rhs) {
                        let mut vars = Vec::new();
                        bound_vars(lhs, &mut vars);
                        if !vars.is_empty() {
                            if !separable(text, query.span.start as usize) {
                                return Err(Unguardable {
                                    line: stmt.span.line,
                                });
                            }
                            let guard: String =
                                vars.iter().map(|v| format!("; type_name({v})")).collect();
                            // After the `with` modifiers, which belong to the assignment.
                            let end = stmt
                                .with_mods
                                .iter()
                                .map(|w| w.span.end)
                                .chain([stmt.span.end])
                                .max()
                                .unwrap_or(stmt.span.end);
                            inserts.push((end as usize, guard));
                        }
                    }
                }
            }
            Literal::NotExpr { expr, .. } => walk_expr(expr, text, inserts)?,
            Literal::Every { domain, query, .. } => {
                walk_expr(domain, text, inserts)?;
                walk_query(query, text, inserts)?;
            }
        }
    }
    Ok(())
}

/// Whether statements of a query starting at `start` may be separated by `;`:
/// the query is a braced body or a comprehension's (after `|`); its span may
/// or may not include the opening character.
fn separable(text: &str, start: usize) -> bool {
    let opens = text
        .get(start..)
        .is_some_and(|q| q.starts_with('{') || q.starts_with('|'));
    opens
        || text
            .get(..start)
            .and_then(|before| before.trim_end().chars().last())
            .is_some_and(|c| c == '{' || c == '|')
}

/// Descends into comprehensions and `every` bodies, where statements live.
fn walk_expr(expr: &ExprRef, text: &str, inserts: &mut Inserts) -> Result<(), Unguardable> {
    match expr.as_ref() {
        Expr::String { .. }
        | Expr::RawString { .. }
        | Expr::Number { .. }
        | Expr::Bool { .. }
        | Expr::Null { .. }
        | Expr::Var { .. } => Ok(()),
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            items.iter().try_for_each(|e| walk_expr(e, text, inserts))
        }
        Expr::Object { fields, .. } => fields.iter().try_for_each(|(_, k, v)| {
            walk_expr(k, text, inserts)?;
            walk_expr(v, text, inserts)
        }),
        Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
            walk_expr(term, text, inserts)?;
            walk_query(query, text, inserts)
        }
        Expr::ObjectCompr {
            key, value, query, ..
        } => {
            walk_expr(key, text, inserts)?;
            walk_expr(value, text, inserts)?;
            walk_query(query, text, inserts)
        }
        Expr::Call { fcn, params, .. } => {
            walk_expr(fcn, text, inserts)?;
            params.iter().try_for_each(|e| walk_expr(e, text, inserts))
        }
        Expr::UnaryExpr { expr, .. } | Expr::RefDot { refr: expr, .. } => {
            walk_expr(expr, text, inserts)
        }
        Expr::RefBrack { refr, index, .. } => {
            walk_expr(refr, text, inserts)?;
            walk_expr(index, text, inserts)
        }
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => {
            walk_expr(lhs, text, inserts)?;
            walk_expr(rhs, text, inserts)
        }
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => {
            if let Some(key) = key {
                walk_expr(key, text, inserts)?;
            }
            walk_expr(value, text, inserts)?;
            walk_expr(collection, text, inserts)
        }
    }
}

/// Constants and comprehensions always have a value; anything else may not.
fn can_be_undefined(expr: &ExprRef) -> bool {
    !matches!(
        expr.as_ref(),
        Expr::String { .. }
            | Expr::RawString { .. }
            | Expr::Number { .. }
            | Expr::Bool { .. }
            | Expr::Null { .. }
            | Expr::ArrayCompr { .. }
            | Expr::SetCompr { .. }
            | Expr::ObjectCompr { .. }
    )
}

/// The variables an assignment's left side binds (`x`, or those of `[a, {"k": b}]`).
fn bound_vars(lhs: &ExprRef, out: &mut Vec<String>) {
    match lhs.as_ref() {
        Expr::Var { span, .. } => {
            let name = span.text();
            if name != "_" {
                out.push(name.to_owned());
            }
        }
        Expr::Array { items, .. } => items.iter().for_each(|e| bound_vars(e, out)),
        Expr::Object { fields, .. } => fields.iter().for_each(|(_, _, v)| bound_vars(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str) -> Result<String, Unguardable> {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("p.rego".into(), text.into())
            .expect("test policy parses");
        let module = engine.get_modules()[0].clone();
        guard(&module, text)
    }

    #[test]
    fn assignments_that_can_be_undefined_get_a_guard_on_their_line() {
        let text = "package p\n\nf(c) := r if {\n\tr := c.a\n\tis_object(r)\n}\n\nx contains v if {\n\tn := 1\n\t[a, _] := input.pair\n\tr := f(input) with input as {}\n\tv := [y | y := input.ys[_]; z := y.q]\n}\n";
        let out = guarded(text).expect("guardable");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            text.lines().count(),
            "lines keep their numbers"
        );
        assert_eq!(lines[3], "\tr := c.a; type_name(r)");
        assert_eq!(lines[8], "\tn := 1", "a constant is always defined");
        assert_eq!(lines[9], "\t[a, _] := input.pair; type_name(a)");
        assert_eq!(
            lines[10], "\tr := f(input) with input as {}; type_name(r)",
            "after the modifiers"
        );
        assert_eq!(
            lines[11], "\tv := [y | y := input.ys[_]; type_name(y); z := y.q; type_name(z)]",
            "a comprehension is always defined, its own assignments are guarded"
        );
        // The rewritten text is still Rego.
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("p.rego".into(), out)
            .expect("guarded text parses");
    }

    #[test]
    fn a_body_without_braces_cannot_take_a_guard() {
        let err = guarded("package p\n\nx := v if v := input.a\n").expect_err("no braces");
        assert_eq!(err.line, 3);
        assert!(guarded("package p\n\nx if input.a == 1\n").is_ok());
    }
}
