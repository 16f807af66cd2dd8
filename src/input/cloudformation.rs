//! AWS CloudFormation templates: detection, the short-form intrinsic function
//! tags of the YAML syntax (`!Ref`, `!GetAtt`, `!Sub` ...) and their long forms
//! (`{"Ref": ...}`, `{"Fn::GetAtt": [...]}`, `{"Fn::Sub": ...}`), and the
//! identity (logical id and type) of the resource a finding is about.
//!
//! The YAML reader calls [`long_form`] for every tag of a template; JSON
//! templates already use the long forms.

use serde_json::{Map, Value};

use super::{PathSegment, Resource};

/// Whether a JSON object looks like a CloudFormation template:
/// `AWSTemplateFormatVersion`, or `Resources` with a `Type: AWS::...` entry.
pub(crate) fn looks_like_template(map: &Map<String, Value>) -> bool {
    if map.contains_key("AWSTemplateFormatVersion") {
        return true;
    }
    match map.get("Resources") {
        Some(Value::Object(resources)) => resources.values().any(|r| {
            r.get("Type")
                .and_then(Value::as_str)
                .is_some_and(is_aws_type)
        }),
        _ => false,
    }
}

/// Whether a resource `Type` is an AWS one (`AWS::S3::Bucket`, also SAM's `AWS::Serverless::*`).
pub(crate) fn is_aws_type(kind: &str) -> bool {
    kind.starts_with("AWS::")
}

/// The short-form tags of the CloudFormation YAML syntax and the key of their
/// long form: every intrinsic function, condition function and rule function
/// in the CloudFormation documentation that has a short form.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAtt", "Fn::GetAtt"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Join", "Fn::Join"),
    ("Length", "Fn::Length"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Sub", "Fn::Sub"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Transform", "Fn::Transform"),
    ("And", "Fn::And"),
    ("Equals", "Fn::Equals"),
    ("If", "Fn::If"),
    ("Not", "Fn::Not"),
    ("Or", "Fn::Or"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

/// The long-form key of a short-form tag (`Sub` -> `Fn::Sub`), or `None` for an unknown tag.
pub(crate) fn long_form(tag: &str) -> Option<&'static str> {
    SHORT_FORMS
        .iter()
        .find(|(short, _)| *short == tag)
        .map(|(_, long)| *long)
}

/// The value of `!GetAtt Resource.Attribute` in its long (list) form: split
/// at the first dot, since attribute names may themselves contain dots
/// (`!GetAtt Db.Endpoint.Address`).
pub(crate) fn get_att_list(text: &str) -> Value {
    match text.split_once('.') {
        Some((resource, attribute)) => Value::Array(vec![
            Value::String(resource.to_owned()),
            Value::String(attribute.to_owned()),
        ]),
        None => Value::String(text.to_owned()),
    }
}

/// The resource a path leads into: `/Resources/<LogicalId>/...`.
pub(super) fn resource(value: &Value, path: &[PathSegment]) -> Resource {
    match path {
        [PathSegment::Key(section), PathSegment::Key(id), ..] if section == "Resources" => {
            Resource {
                logical_id: Some(id.clone()),
                resource_type: value
                    .get("Resources")
                    .and_then(|r| r.get(id))
                    .and_then(|r| r.get("Type"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                ..Resource::default()
            }
        }
        _ => Resource::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detection_and_short_forms() {
        let t = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}});
        assert!(looks_like_template(t.as_object().unwrap()));
        let k = json!({"Resources": {"B": {"Type": "Custom::Thing"}}});
        assert!(!looks_like_template(k.as_object().unwrap()));
        assert_eq!(long_form("Sub"), Some("Fn::Sub"));
        assert_eq!(long_form("RefAll"), Some("Fn::RefAll"));
        assert_eq!(long_form("Bogus"), None);
        assert_eq!(
            get_att_list("Db.Endpoint.Address"),
            json!(["Db", "Endpoint.Address"])
        );
    }

    #[test]
    fn resource_identity_from_the_path() {
        let t = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {}}}});
        let path = PathSegment::parse_path(&json!(["Resources", "B", "Properties", "X"])).unwrap();
        let r = resource(&t, &path);
        assert_eq!(r.logical_id.as_deref(), Some("B"));
        assert_eq!(r.resource_type.as_deref(), Some("AWS::S3::Bucket"));
    }
}
