//! OPA's deprecated built-ins, which Rego v0 still offers and so Gatekeeper
//! templates (evaluated as v0) still use: `re_match`, `any`, `all`,
//! `set_diff` and the `cast_*` family. regorus has none of them; they are
//! added to template engines only, with OPA's behaviour.

use std::collections::BTreeSet;

use anyhow::{bail, Result};
use regorus::Value;

type Builtin = fn(&[Value]) -> Result<Value>;

/// Name, number of arguments and implementation of each.
const BUILTINS: [(&str, u8, Builtin); 10] = [
    ("re_match", 2, re_match),
    ("any", 1, any),
    ("all", 1, all),
    ("set_diff", 2, set_diff),
    ("cast_array", 1, cast_array),
    ("cast_set", 1, cast_set),
    ("cast_string", 1, |a| {
        cast(a, "string", |v| matches!(v, Value::String(_)))
    }),
    ("cast_boolean", 1, |a| {
        cast(a, "boolean", |v| matches!(v, Value::Bool(_)))
    }),
    ("cast_null", 1, |a| {
        cast(a, "null", |v| matches!(v, Value::Null))
    }),
    ("cast_object", 1, |a| {
        cast(a, "object", |v| matches!(v, Value::Object(_)))
    }),
];

/// Adds them to a template's engine.
pub(crate) fn register(engine: &mut regorus::Engine) {
    for (name, nargs, builtin) in BUILTINS {
        // Fails only for a name added twice; these are distinct.
        let _ = engine.add_extension(
            name.to_owned(),
            nargs,
            Box::new(move |args: Vec<Value>| {
                builtin(&args).map_err(|e| anyhow::anyhow!("{name}: {e}"))
            }),
        );
    }
}

/// Whether a call to `name` is one of these.
pub(crate) fn is_deprecated_builtin(name: &str) -> bool {
    BUILTINS.iter().any(|(n, _, _)| *n == name)
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Undefined)
}

fn elements(value: &Value) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items.iter().cloned().collect()),
        Value::Set(items) => Ok(items.iter().cloned().collect()),
        _ => bail!("operand 1 must be one of {{array, set}}"),
    }
}

fn re_match(args: &[Value]) -> Result<Value> {
    let (Value::String(pattern), Value::String(text)) = (arg(args, 0), arg(args, 1)) else {
        bail!("operands must be strings");
    };
    let re = regex::Regex::new(pattern)?;
    Ok(Value::from(re.is_match(text)))
}

fn any(args: &[Value]) -> Result<Value> {
    Ok(Value::from(
        elements(arg(args, 0))?.contains(&Value::from(true)),
    ))
}

fn all(args: &[Value]) -> Result<Value> {
    Ok(Value::from(
        elements(arg(args, 0))?
            .iter()
            .all(|v| *v == Value::from(true)),
    ))
}

fn set_diff(args: &[Value]) -> Result<Value> {
    let (Value::Set(a), Value::Set(b)) = (arg(args, 0), arg(args, 1)) else {
        bail!("operands must be sets");
    };
    let diff: BTreeSet<Value> = a.iter().filter(|v| !b.contains(v)).cloned().collect();
    Ok(Value::from(diff))
}

fn cast_array(args: &[Value]) -> Result<Value> {
    Ok(Value::from(elements(arg(args, 0))?))
}

fn cast_set(args: &[Value]) -> Result<Value> {
    let set: BTreeSet<Value> = elements(arg(args, 0))?.into_iter().collect();
    Ok(Value::from(set))
}

fn cast(args: &[Value], type_name: &str, is: fn(&Value) -> bool) -> Result<Value> {
    let value = arg(args, 0);
    if is(value) {
        Ok(value.clone())
    } else {
        bail!("operand 1 must be {type_name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(rego: &str, query: &str) -> Value {
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(true);
        register(&mut engine);
        engine.add_policy("t.rego".into(), rego.into()).unwrap();
        engine.eval_rule(query.into()).unwrap()
    }

    #[test]
    fn v0_templates_can_call_the_deprecated_builtins() {
        let rego = r#"package t
            m { re_match("^a+$", "aaa") }
            no_m { re_match("^a+$", "b") }
            some_true { any([false, true]) }
            every_true { all({true}) }
            diff = set_diff({1, 2, 3}, {2})
            arr = cast_array({"b", "a"})
        "#;
        assert_eq!(eval(rego, "data.t.m"), Value::from(true));
        assert_eq!(eval(rego, "data.t.no_m"), Value::Undefined);
        assert_eq!(eval(rego, "data.t.some_true"), Value::from(true));
        assert_eq!(eval(rego, "data.t.every_true"), Value::from(true));
        assert_eq!(
            eval(rego, "data.t.diff"),
            Value::from(
                [Value::from(1), Value::from(3)]
                    .into_iter()
                    .collect::<BTreeSet<_>>()
            )
        );
        assert_eq!(
            eval(rego, "data.t.arr"),
            Value::from(vec![Value::from("a"), Value::from("b")])
        );
    }
}
