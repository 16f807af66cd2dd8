//! `input.review`: the AdmissionRequest a template sees, built the way
//! Gatekeeper builds it. For an object read from a file (`policy check`,
//! `policy verify` cases), that is what `gator` makes of an object: the JSON
//! of a Go `admission/v1.AdmissionRequest` holding only the kind, the name, the
//! namespace and the object, every other field at its zero value. For an
//! admission request (the webhook, AdmissionReview cases), it is the request
//! as sent, with the zero values Go would add for fields the sender left out.

use serde_json::{json, Map, Value};

use super::matching::group_kind;

/// What a constraint reviews: the request, and the objects its `match` is tried on.
#[derive(Debug, Clone)]
pub struct Review {
    /// `input.review`.
    pub request: Value,
    /// `request.object` (or `oldObject` for a DELETE without an object).
    pub object: Value,
    /// `request.oldObject`, when it is an object: a constraint matches when
    /// either the object or the old object matches.
    pub old_object: Option<Value>,
    /// The namespace the request is in (`request.namespace`, else the object's).
    pub namespace: String,
}

fn str_at<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

impl Review {
    /// The review `gator` builds for an object.
    pub fn of_object(object: &Value) -> Review {
        let (group, kind) = group_kind(object);
        let version = str_at(object, "/apiVersion")
            .rsplit_once('/')
            .map_or(str_at(object, "/apiVersion"), |(_, v)| v);
        let name = str_at(object, "/metadata/name");
        let namespace = str_at(object, "/metadata/namespace");
        let mut request = Map::new();
        request.insert("uid".into(), json!(""));
        request.insert(
            "kind".into(),
            json!({"group": group, "version": version, "kind": kind}),
        );
        request.insert(
            "resource".into(),
            json!({"group": "", "version": "", "resource": ""}),
        );
        // `name` and `namespace` are `omitempty` in the Go type.
        if !name.is_empty() {
            request.insert("name".into(), json!(name));
        }
        if !namespace.is_empty() {
            request.insert("namespace".into(), json!(namespace));
        }
        request.insert("operation".into(), json!(""));
        request.insert("userInfo".into(), json!({}));
        request.insert("object".into(), object.clone());
        // An empty RawExtension marshals as `null`.
        request.insert("oldObject".into(), Value::Null);
        request.insert("options".into(), Value::Null);
        Review {
            request: Value::Object(request),
            object: object.clone(),
            old_object: None,
            namespace: namespace.to_owned(),
        }
    }

    /// The review of an AdmissionRequest (`request` of an AdmissionReview).
    /// For a DELETE without an object, the old object is reviewed as the
    /// object, as Gatekeeper's webhook does. `Err` when there is nothing to review.
    pub fn of_request(request: &Value) -> Result<Review, String> {
        let Some(fields) = request.as_object() else {
            return Err("the AdmissionReview has no request".into());
        };
        let mut request = fields.clone();
        let present = |v: Option<&Value>| v.filter(|v| v.is_object()).cloned();
        let old_object = present(request.get("oldObject"));
        let object = match present(request.get("object")) {
            Some(o) => o,
            None if request.get("operation").and_then(Value::as_str) == Some("DELETE") => {
                match &old_object {
                    Some(old) => {
                        request.insert("object".into(), old.clone());
                        old.clone()
                    }
                    None => return Err("the DELETE request has no oldObject to review".into()),
                }
            }
            None => {
                return Err(
                    "the AdmissionRequest has neither an object nor an oldObject to review".into(),
                )
            }
        };
        // Fields without `omitempty` in the Go type are always there.
        for (key, zero) in [
            ("uid", json!("")),
            ("kind", json!({"group": "", "version": "", "kind": ""})),
            (
                "resource",
                json!({"group": "", "version": "", "resource": ""}),
            ),
            ("operation", json!("")),
            ("userInfo", json!({})),
            ("oldObject", Value::Null),
            ("options", Value::Null),
        ] {
            request.entry(key).or_insert(zero);
        }
        let namespace = match request.get("namespace").and_then(Value::as_str) {
            Some(ns) if !ns.is_empty() => ns.to_owned(),
            _ => str_at(&object, "/metadata/namespace").to_owned(),
        };
        Ok(Review {
            request: Value::Object(request),
            object,
            old_object,
            namespace,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_gets_the_review_gator_gives_it() {
        let obj = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}});
        let review = Review::of_object(&obj);
        assert_eq!(
            review.request,
            json!({
                "uid": "", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                "resource": {"group": "", "version": "", "resource": ""},
                "name": "web", "namespace": "shop", "operation": "", "userInfo": {},
                "object": obj, "oldObject": null, "options": null
            })
        );
        let cluster = Review::of_object(
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
        );
        assert_eq!(cluster.request["kind"]["group"], "");
        assert!(cluster.request.get("namespace").is_none());
    }

    #[test]
    fn a_delete_reviews_its_old_object() {
        let old =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"}});
        let review =
            Review::of_request(&json!({"uid": "1", "operation": "DELETE", "oldObject": old}))
                .unwrap();
        assert_eq!(review.object, old);
        assert_eq!(review.request["object"], old);
        assert_eq!(review.namespace, "a");
        assert!(Review::of_request(&json!({"operation": "CREATE"})).is_err());
    }
}
