//! AdmissionReview `admission.k8s.io/v1` in and out, with kube-core's types.
//!
//! The body is scanned once as JSON and only the parts that are used are
//! built: `request.object` as sent (so that `input` is exactly the object the
//! API server sent, as in CI), the request's other fields, which are checked
//! against kube-core's `AdmissionRequest`, and `request.oldObject` kept as its
//! text until something reads it (most decisions never do). Every way a body
//! can be wrong gets a message that says what was wrong; nothing here panics
//! on input.

use std::collections::BTreeMap;
use std::sync::Arc;

use kube_core::admission::{AdmissionRequest, AdmissionResponse, AdmissionReview, Operation};
use kube_core::DynamicObject;
use serde_json::value::RawValue;
use serde_json::Value;

/// The only AdmissionReview version served.
pub const API_VERSION: &str = "admission.k8s.io/v1";

/// A request that could be read.
#[derive(Debug)]
pub struct Review {
    /// The request, without its objects.
    pub request: AdmissionRequest<DynamicObject>,
    /// `request.object` as sent (`None` for DELETE, or when null).
    pub object: Option<Value>,
    /// `request.oldObject` as sent (UPDATE and DELETE), not yet built.
    pub old_object: Option<OldObject>,
    /// `request.userInfo` as sent (for `data.railyard.context`).
    pub user_info: Value,
    /// The request's other fields as sent, for Gatekeeper's `input.review`.
    pub fields: serde_json::Map<String, Value>,
}

/// `request.oldObject` as its JSON text, checked to be an object.
#[derive(Debug, Clone)]
pub struct OldObject(Arc<str>);

impl OldObject {
    /// The object (already checked to be valid JSON, so never `Null` in practice).
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

/// A body that is not a usable AdmissionReview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReview {
    /// The request's uid, when it could be read.
    pub uid: Option<String>,
    /// What was wrong.
    pub message: String,
}

fn bad(uid: Option<&str>, message: impl Into<String>) -> BadReview {
    BadReview {
        uid: uid.map(str::to_owned),
        message: message.into(),
    }
}

/// Reads an AdmissionReview body.
pub fn parse(body: &[u8]) -> Result<Review, BadReview> {
    // Values are scanned, not built, until they are known to be needed.
    let top: BTreeMap<String, &RawValue> = match serde_json::from_slice(body) {
        Ok(top) => top,
        Err(_) => {
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                    Err(e) => bad(None, format!("the body is not valid JSON: {e}")),
                    Ok(_) => bad(None, "the body must be a JSON object: an AdmissionReview"),
                },
            )
        }
    };
    // Scanning does not limit nesting; building does (serde_json's 128 levels).
    let build = |raw: &RawValue| {
        serde_json::from_str::<Value>(raw.get())
            .map_err(|e| bad(None, format!("the body is not valid JSON: {e}")))
    };
    match top.get("kind").copied().map(build).transpose()? {
        Some(Value::String(kind)) if kind == "AdmissionReview" => {}
        Some(other) => {
            return Err(bad(
                None,
                format!("expected kind \"AdmissionReview\", got {other}"),
            ))
        }
        None => {
            return Err(bad(
                None,
                "the body has no `kind`: expected an AdmissionReview",
            ))
        }
    }
    match top
        .get("apiVersion")
        .copied()
        .map(build)
        .transpose()?
        .as_ref()
        .and_then(Value::as_str)
    {
        Some(API_VERSION) => {}
        Some(v) if v.starts_with("admission.k8s.io/") => {
            return Err(bad(
                None,
                format!(
                    "AdmissionReview {v} is not supported: Railyard serves {API_VERSION} only; \
                     set admissionReviewVersions: [\"v1\"] in the ValidatingWebhookConfiguration"
                ),
            ))
        }
        Some(v) => {
            return Err(bad(
                None,
                format!("unsupported apiVersion {v:?}: expected {API_VERSION:?}"),
            ))
        }
        None => {
            return Err(bad(
                None,
                format!("the AdmissionReview has no `apiVersion`: expected {API_VERSION:?}"),
            ))
        }
    }
    let request: BTreeMap<String, &RawValue> = match not_null(&top, "request") {
        None => return Err(bad(None, "the AdmissionReview has no `request`")),
        Some(raw) => {
            serde_json::from_str(raw.get()).map_err(|_| bad(None, "`request` must be an object"))?
        }
    };
    let present = |key: &str| not_null(&request, key);
    let uid = match request.get("uid").copied().map(build).transpose()? {
        Some(Value::String(uid)) if !uid.is_empty() => uid,
        Some(Value::String(_)) => return Err(bad(None, "`request.uid` is empty")),
        Some(_) => return Err(bad(None, "`request.uid` must be a string")),
        None => {
            return Err(bad(
                None,
                "`request.uid` is missing: the response must echo it",
            ))
        }
    };
    for key in ["object", "oldObject"] {
        if present(key).is_some_and(|raw| !raw.get().starts_with('{')) {
            return Err(bad(
                Some(&uid),
                format!("`request.{key}` must be an object"),
            ));
        }
    }
    let object = present("object").map(build).transpose()?;
    let old_object = match present("oldObject") {
        // Built only to say why, as a body built whole would have.
        Some(raw) if nests_too_deep(raw.get()) => {
            return Err(build(raw)
                .err()
                .unwrap_or_else(|| bad(None, "the body is not valid JSON: nested too deeply")))
        }
        Some(raw) => Some(OldObject(Arc::from(raw.get()))),
        None => None,
    };
    let build_except = |map: &BTreeMap<String, &RawValue>, skip: &[&str]| {
        map.iter()
            .filter(|(key, _)| !skip.contains(&key.as_str()))
            .map(|(key, raw)| Ok((key.clone(), build(raw)?)))
            .collect::<Result<serde_json::Map<String, Value>, BadReview>>()
    };
    let fields = build_except(&request, &["object", "oldObject"])?;
    let user_info = fields.get("userInfo").cloned().unwrap_or(Value::Null);
    let mut envelope = build_except(&top, &["request"])?;
    envelope.insert("request".into(), Value::Object(fields.clone()));
    let review: AdmissionReview<DynamicObject> = serde_json::from_value(Value::Object(envelope))
        .map_err(|e| {
            bad(
                Some(&uid),
                format!("the request is not a valid {API_VERSION} AdmissionRequest: {e}"),
            )
        })?;
    let request: AdmissionRequest<DynamicObject> = review
        .try_into()
        .map_err(|_| bad(Some(&uid), "the AdmissionReview has no `request`"))?;
    if matches!(request.operation, Operation::Create | Operation::Update) && object.is_none() {
        return Err(bad(
            Some(&uid),
            format!(
                "`request.object` is missing for {}",
                operation_name(&request.operation)
            ),
        ));
    }
    Ok(Review {
        request,
        object,
        old_object,
        user_info,
        fields,
    })
}

/// The raw value at `key`, unless absent or `null`.
fn not_null<'a>(map: &BTreeMap<String, &'a RawValue>, key: &str) -> Option<&'a RawValue> {
    map.get(key).copied().filter(|raw| raw.get() != "null")
}

/// Whether JSON text nests deeper than serde_json builds (128 arrays and
/// objects): a scan, cheaper than building the value to find out.
fn nests_too_deep(text: &str) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for byte in text.bytes() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > 128 {
                    return true;
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The operation's name as the API server spells it.
pub fn operation_name(operation: &Operation) -> &'static str {
    match operation {
        Operation::Create => "CREATE",
        Operation::Update => "UPDATE",
        Operation::Delete => "DELETE",
        Operation::Connect => "CONNECT",
    }
}

/// What to answer: allowed or not, with a status and warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// Whether the request is admitted.
    pub allowed: bool,
    /// HTTP-like code of a denial (403 for policy failures, 500 for errors).
    pub code: u16,
    /// Machine-readable reason of a denial (`Forbidden`, `InternalError`).
    pub reason: &'static str,
    /// The denial's message, shown to the user.
    pub message: String,
    /// Warnings, shown to the user either way.
    pub warnings: Vec<String>,
}

/// The response body for a request: the uid echoed, the answer applied.
pub fn respond(request: &AdmissionRequest<DynamicObject>, answer: Answer) -> Value {
    let mut response = AdmissionResponse::from(request);
    if !answer.allowed {
        // kube-core's deny() leaves the code unset: the API server would then
        // report a generic error instead of a 403 with our message.
        response = response.deny(answer.message);
        response.result.code = answer.code;
        response.result.reason = answer.reason.to_owned();
        response.result.status = Some(kube_core::response::StatusSummary::Failure);
    }
    if !answer.warnings.is_empty() {
        response.warnings = Some(answer.warnings);
    }
    let mut review = response.into_review();
    review.types.api_version = API_VERSION.to_owned();
    review.types.kind = "AdmissionReview".to_owned();
    serde_json::to_value(&review).unwrap_or(Value::Null)
}

/// A `metav1.Status` body for answers that are not a decision (malformed
/// request, body too large, overload): the API server shows its message.
pub fn status_body(code: u16, reason: &str, message: &str) -> Value {
    serde_json::json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(request: Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "apiVersion": API_VERSION, "kind": "AdmissionReview", "request": request
        }))
        .unwrap()
    }

    fn minimal(extra: Value) -> Value {
        let mut request = serde_json::json!({
            "uid": "u-1",
            "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "operation": "CREATE",
            "userInfo": {"username": "alice"},
            "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},
        });
        if let (Some(r), Value::Object(extra)) = (request.as_object_mut(), extra) {
            r.extend(extra);
        }
        request
    }

    /// An UPDATE whose `key` (object or oldObject) nests 200 arrays deep.
    fn deep_body(key: &str) -> Vec<u8> {
        let mut deep = Value::from(1);
        for _ in 0..200 {
            deep = Value::Array(vec![deep]);
        }
        let mut extra = serde_json::Map::new();
        extra.insert("operation".into(), "UPDATE".into());
        extra.insert(key.into(), serde_json::json!({ "deep": deep }));
        body(minimal(Value::Object(extra)))
    }

    #[test]
    fn objects_are_kept_as_sent() {
        let review = parse(&body(minimal(serde_json::json!({})))).unwrap();
        assert_eq!(review.request.uid, "u-1");
        assert_eq!(
            review.object.unwrap(),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})
        );
        assert!(review.old_object.is_none());
        let old = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "old", "labels": {"b": "2", "a": "1"}}});
        let update = minimal(serde_json::json!({"operation": "UPDATE", "oldObject": old.clone()}));
        let review = parse(&body(update)).unwrap();
        let kept = review.old_object.expect("UPDATE keeps its oldObject");
        assert_eq!(kept.value(), old);
        assert_eq!(
            serde_json::to_string(&kept.value()).unwrap(),
            serde_json::to_string(&old).unwrap(),
            "keys stay in the order sent"
        );
    }

    #[test]
    fn each_malformed_body_says_what_is_wrong() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"{".to_vec(), "not valid JSON"),
            (b"[]".to_vec(), "must be a JSON object"),
            (br#"{"kind":"Pod","apiVersion":"v1"}"#.to_vec(), "expected kind"),
            (
                br#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1beta1","request":{}}"#
                    .to_vec(),
                "v1beta1 is not supported",
            ),
            (
                br#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}"#.to_vec(),
                "no `request`",
            ),
            (body(serde_json::json!({"operation": "CREATE"})), "`request.uid` is missing"),
            (body(minimal(serde_json::json!({"operation": "EXPLODE"}))), "not a valid"),
            (body(minimal(serde_json::json!({"object": null}))), "`request.object` is missing"),
            (body(minimal(serde_json::json!({"object": 3}))), "must be an object"),
            (
                body(minimal(serde_json::json!({"oldObject": [1]}))),
                "`request.oldObject` must be an object",
            ),
            (body(minimal(serde_json::json!({"uid": null}))), "must be a string"),
            (deep_body("object"), "recursion limit exceeded"),
            (deep_body("oldObject"), "recursion limit exceeded"),
            (br#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":7}"#.to_vec(), "`request` must be an object"),
            (br#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":null}"#.to_vec(), "no `request`"),
        ];
        for (body, expected) in cases {
            let err = parse(&body).unwrap_err();
            assert!(
                err.message.contains(expected),
                "{expected:?} not in {:?}",
                err.message
            );
        }
    }

    #[test]
    fn denials_carry_403_and_the_uid() {
        let review = parse(&body(minimal(serde_json::json!({})))).unwrap();
        let out = respond(
            &review.request,
            Answer {
                allowed: false,
                code: 403,
                reason: "Forbidden",
                message: "no".into(),
                warnings: vec!["w".into()],
            },
        );
        assert_eq!(out["apiVersion"], API_VERSION);
        assert_eq!(out["response"]["uid"], "u-1");
        assert_eq!(out["response"]["allowed"], false);
        assert_eq!(out["response"]["status"]["code"], 403);
        assert_eq!(out["response"]["warnings"][0], "w");
    }
}
