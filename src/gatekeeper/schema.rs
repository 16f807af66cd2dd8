//! Checking a constraint's `spec.parameters` against its template's
//! `openAPIV3Schema`, as the API server does before Gatekeeper sees the
//! constraint. OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few
//! keywords; those that change what validates are translated first.

use serde_json::{Map, Value};

/// The schema with `nullable` and `x-kubernetes-int-or-string` spelled in draft 4.
fn to_draft4(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .map(|(k, v)| {
                    // Schemas nest under these keys (values are schemas, or maps/lists of them).
                    let nested = matches!(
                        k.as_str(),
                        "properties"
                            | "items"
                            | "additionalProperties"
                            | "allOf"
                            | "anyOf"
                            | "oneOf"
                            | "not"
                            | "patternProperties"
                    );
                    let v = if nested {
                        to_draft4_nested(k, v)
                    } else {
                        v.clone()
                    };
                    (k.clone(), v)
                })
                .collect();
            if out.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
                out.remove("type");
                out.insert(
                    "anyOf".into(),
                    serde_json::json!([{"type": "integer"}, {"type": "string"}]),
                );
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), serde_json::json!([t, "null"]));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn to_draft4_nested(key: &str, value: &Value) -> Value {
    match (key, value) {
        ("properties" | "patternProperties", Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(name, s)| (name.clone(), to_draft4(s)))
                .collect(),
        ),
        (_, Value::Array(items)) => Value::Array(items.iter().map(to_draft4).collect()),
        (_, other) => to_draft4(other),
    }
}

/// `Ok` when `parameters` satisfy `schema`; otherwise each problem as `path: message`.
pub fn validate(schema: &Value, parameters: &Value) -> Result<(), Vec<String>> {
    let schema = to_draft4(schema);
    let validator = jsonschema::draft4::options()
        .build(&schema)
        .map_err(|e| vec![format!("the template's openAPIV3Schema is not valid: {e}")])?;
    let problems: Vec<String> = validator
        .iter_errors(parameters)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn openapi_schemas_validate_parameters() {
        let schema = json!({
            "type": "object",
            "properties": {
                "labels": {"type": "array", "items": {"type": "string"}},
                "limit": {"x-kubernetes-int-or-string": true},
                "note": {"type": "string", "nullable": true}
            }
        });
        assert!(validate(
            &schema,
            &json!({"labels": ["a"], "limit": "2", "note": null})
        )
        .is_ok());
        assert!(validate(&schema, &json!({"limit": 3})).is_ok());
        let err = validate(&schema, &json!({"labels": "a"})).unwrap_err();
        assert!(err[0].starts_with("/labels"), "{err:?}");
    }
}
