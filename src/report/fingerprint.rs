//! Fingerprints of findings that stay the same while code moves, so that code
//! scanning keeps one alert for one problem (SARIF `partialFingerprints`).

use crate::finding::Finding;
use crate::input::Resource;

/// A hash of what identifies a finding apart from where it is: rule, file,
/// resource (or, without one, the document's index), and the offending field
/// (or, without one, the message). Moving code keeps it; so a moved finding
/// stays the same alert rather than a new one.
pub fn fingerprint(f: &Finding) -> String {
    let r = &f.resource;
    // Every identity field but the planned action, which changes between plans.
    let parts = [
        &r.api_version,
        &r.kind,
        &r.namespace,
        &r.name,
        &r.address,
        &r.resource_type,
        &r.logical_id,
    ];
    let identity = if parts.iter().any(|p| p.is_some()) {
        parts
            .iter()
            .map(|p| p.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("|")
    } else {
        format!("#{}", f.document)
    };
    let what = match &f.path {
        Some(pointer) => stable_pointer(pointer, r),
        None => f.message.clone(),
    };
    let hash = fnv1a64(&[&f.rule, &f.file, &identity, &what]);
    format!("{hash:016x}")
}

/// The pointer without the resource's position in its array (Terraform plans,
/// ARM templates), which shifts whenever a resource is added before it; the
/// resource's address or type and name already say which one it is.
fn stable_pointer(pointer: &str, r: &Resource) -> String {
    let in_array = r.address.is_some() || (r.resource_type.is_some() && r.logical_id.is_none());
    if !in_array {
        return pointer.to_owned();
    }
    let mut dropped = false;
    pointer
        .split('/')
        .filter(|token| {
            let index = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
            let drop = index && !dropped;
            dropped |= drop;
            !drop
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// FNV-1a (64 bit) over the parts, each followed by a 0 byte so that
/// `("ab", "c")` and `("a", "bc")` differ. Stable across platforms and releases,
/// which std's hasher is not.
fn fnv1a64(parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_separates_its_parts_and_is_stable() {
        assert_ne!(fnv1a64(&["ab", "c"]), fnv1a64(&["a", "bc"]));
        // Pinned: a change here re-opens every alert users have triaged.
        assert_eq!(fnv1a64(&[""]), 0xaf63_bd4c_8601_b7df);
    }

    #[test]
    fn a_resource_index_in_an_array_is_not_part_of_the_fingerprint() {
        let plan = Resource {
            address: Some("aws_s3_bucket.logs".into()),
            ..Resource::default()
        };
        assert_eq!(
            stable_pointer("/resource_changes/3/change/after/ingress/0/cidr", &plan),
            "/resource_changes/change/after/ingress/0/cidr"
        );
        let pod = Resource {
            kind: Some("Pod".into()),
            ..Resource::default()
        };
        assert_eq!(
            stable_pointer("/spec/containers/1/image", &pod),
            "/spec/containers/1/image"
        );
        let cloudformation = Resource {
            resource_type: Some("AWS::S3::Bucket".into()),
            logical_id: Some("Logs".into()),
            ..Resource::default()
        };
        assert_eq!(
            stable_pointer("/Resources/Logs/Properties/Tags/0", &cloudformation),
            "/Resources/Logs/Properties/Tags/0"
        );
    }
}
