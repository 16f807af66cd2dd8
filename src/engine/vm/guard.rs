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

use regorus::unstable::{AssignOp, Expr, Literal, LiteralStmt, Module, Query};

use crate::engine::ast::{self, Visitor};

/// Why a module cannot be guarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unguardable {
    /// 1-based line of the assignment.
    pub line: u32,
}

/// `text` (the source of `module`) with a guard after every assignment that
/// can bind undefined.
pub fn guard(module: &Module, text: &str) -> Result<String, Unguardable> {
    let mut guards = Guards {
        text,
        inserts: Vec::new(),
        unguardable: None,
    };
    for rule in &module.policy {
        ast::rule(&mut guards, rule);
    }
    if let Some(e) = guards.unguardable {
        return Err(e);
    }
    let mut inserts = guards.inserts;
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

/// The guards to insert (byte offset, text), or the first assignment that cannot take one.
struct Guards<'t> {
    text: &'t str,
    inserts: Vec<(usize, String)>,
    unguardable: Option<Unguardable>,
}

impl Visitor for Guards<'_> {
    fn stmt(&mut self, query: &Query, stmt: &LiteralStmt) {
        let Literal::Expr { expr, .. } = &stmt.literal else {
            return;
        };
        let Expr::AssignExpr {
            op: AssignOp::ColEq,
            lhs,
            rhs,
            ..
        } = expr.as_ref()
        else {
            return;
        };
        if !can_be_undefined(rhs) {
            return;
        }
        let mut vars = Vec::new();
        bound_vars(lhs, &mut vars);
        if vars.is_empty() {
            return;
        }
        if !separable(self.text, query.span.start as usize) {
            self.unguardable.get_or_insert(Unguardable {
                line: stmt.span.line,
            });
            return;
        }
        let guard: String = vars.iter().map(|v| format!("; type_name({v})")).collect();
        // After the `with` modifiers, which belong to the assignment.
        let end = stmt
            .with_mods
            .iter()
            .map(|w| w.span.end)
            .chain([stmt.span.end])
            .max()
            .unwrap_or(stmt.span.end);
        self.inserts.push((end as usize, guard));
    }
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

/// Constants and comprehensions always have a value; anything else may not.
fn can_be_undefined(expr: &Expr) -> bool {
    !matches!(
        expr,
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
fn bound_vars(lhs: &Expr, out: &mut Vec<String>) {
    match lhs {
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
