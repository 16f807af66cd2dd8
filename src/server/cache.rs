//! Decisions remembered for objects seen before.
//!
//! GitOps controllers re-apply unchanged manifests on every sync, and each
//! no-op apply still goes through admission: the same object, evaluated again
//! and again. When the policies are deterministic (they read nothing but the
//! object: no `data.railyard.context`, no clock, no network, no randomness),
//! the verdict for an identical object cannot change until the policies do, so
//! it is kept, keyed by a SHA-256 of what the decision depends on: the policy
//! generation, the day (waivers expire), the operation, the namespace and the
//! object itself. A cryptographic hash, because a crafted object that
//! collided with an admitted one would be admitted without evaluation.
//!
//! Bounded: at most `capacity` verdicts, the oldest dropped first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::decide::Verdict;
use crate::engine::PolicySet;

/// A cache key.
pub type Key = [u8; 32];

/// What a policy text may read besides the object; such a set is never cached.
const NONDETERMINISTIC: [&str; 9] = [
    "railyard.context",
    "time.now_ns",
    "http.send",
    "rand.intn",
    "uuid.rfc4122",
    "opa.runtime",
    "net.lookup_ip_addr",
    "io.jwt.decode_verify",
    "time.format",
];

/// Whether a policy set's decisions depend on the object alone.
pub fn deterministic(policies: &PolicySet) -> bool {
    policies
        .sources()
        .iter()
        .all(|s| NONDETERMINISTIC.iter().all(|word| !s.text().contains(word)))
}

/// Remembered verdicts.
#[derive(Debug)]
pub struct DecisionCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    verdicts: HashMap<Key, Verdict>,
    order: VecDeque<Key>,
}

impl DecisionCache {
    /// A cache of at most `capacity` verdicts (0: none kept).
    pub fn new(capacity: usize) -> Self {
        DecisionCache {
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The key of a decision; `None` when nothing is cached.
    pub fn key(
        &self,
        generation: u64,
        operation: &str,
        namespace: Option<&str>,
        object: &Value,
    ) -> Option<Key> {
        if self.capacity == 0 {
            return None;
        }
        let mut hasher = Sha256::new();
        hasher.update(generation.to_le_bytes());
        hasher.update(crate::waiver::today().to_string());
        for part in [operation, namespace.unwrap_or("")] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        // serde_json writes a value the same way each time (map order is kept as parsed).
        serde_json::to_writer(HashWriter(&mut hasher), object).ok()?;
        Some(hasher.finalize().into())
    }

    /// The verdict remembered under `key`.
    pub fn get(&self, key: &Key) -> Option<Verdict> {
        let inner = self.inner.lock().ok()?;
        inner.verdicts.get(key).cloned()
    }

    /// Remembers a verdict (only complete ones: errors and timeouts are not).
    pub fn put(&self, key: Key, verdict: &Verdict) {
        if self.capacity == 0 || !verdict.errors.is_empty() || verdict.timed_out {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.verdicts.insert(key, verdict.clone()).is_none() {
            inner.order.push_back(key);
        }
        while inner.order.len() > self.capacity {
            if let Some(old) = inner.order.pop_front() {
                inner.verdicts.remove(&old);
            }
        }
    }
}

struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_differ_by_generation_operation_namespace_and_object_and_the_oldest_goes_first() {
        let cache = DecisionCache::new(2);
        let object = json!({"kind": "Deployment", "metadata": {"name": "web"}});
        let key =
            |generation, op, ns, obj: &Value| cache.key(generation, op, ns, obj).expect("enabled");
        let base = key(1, "CREATE", Some("shop"), &object);
        assert_eq!(base, key(1, "CREATE", Some("shop"), &object));
        assert_ne!(base, key(2, "CREATE", Some("shop"), &object));
        assert_ne!(base, key(1, "UPDATE", Some("shop"), &object));
        assert_ne!(base, key(1, "CREATE", None, &object));
        assert_ne!(
            base,
            key(
                1,
                "CREATE",
                Some("shop"),
                &json!({"kind": "Deployment", "metadata": {"name": "api"}})
            )
        );
        assert!(DecisionCache::new(0)
            .key(1, "CREATE", None, &object)
            .is_none());
    }
}
