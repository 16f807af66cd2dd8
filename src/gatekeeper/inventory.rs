//! `data.inventory`: Gatekeeper's copy of cluster objects that referential
//! templates read, keyed `cluster[groupVersion][kind][name]` for objects
//! without a namespace and `namespace[ns][groupVersion][kind][name]` for the
//! others. The Namespaces in it also answer namespaceSelectors.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

/// Objects of one group/version, by kind and name.
type ByVersion = BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>;

/// Objects keyed as Gatekeeper keys them.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    cluster: ByVersion,
    namespaced: BTreeMap<String, ByVersion>,
    namespaces: HashMap<String, Value>,
    len: usize,
}

impl Inventory {
    /// An empty inventory.
    pub fn new() -> Self {
        Self::default()
    }

    /// The inventory of these objects (those without `apiVersion` and `kind` are skipped).
    pub fn of<'v>(objects: impl IntoIterator<Item = &'v Value>) -> Self {
        let mut inventory = Self::new();
        for object in objects {
            inventory.add(object);
        }
        inventory
    }

    /// Adds an object, as `gator` does for the objects it reads: keyed by its
    /// `apiVersion`, `kind`, `metadata.namespace` and `metadata.name`. Returns
    /// false (and adds nothing) when it has no `apiVersion` or `kind`.
    pub fn add(&mut self, object: &Value) -> bool {
        let text = |p: &str| object.pointer(p).and_then(Value::as_str).unwrap_or("");
        let (api_version, kind) = (text("/apiVersion"), text("/kind"));
        let version = api_version.rsplit('/').next().unwrap_or("");
        if version.is_empty() || kind.is_empty() {
            return false;
        }
        let (name, namespace) = (text("/metadata/name"), text("/metadata/namespace"));
        let by_version = if namespace.is_empty() {
            &mut self.cluster
        } else {
            self.namespaced.entry(namespace.to_owned()).or_default()
        };
        by_version
            .entry(api_version.to_owned())
            .or_default()
            .entry(kind.to_owned())
            .or_default()
            .insert(name.to_owned(), object.clone());
        if api_version == "v1" && kind == "Namespace" && namespace.is_empty() {
            self.namespaces.insert(name.to_owned(), object.clone());
        }
        self.len += 1;
        true
    }

    /// The Namespace object with this name, if the inventory has it.
    pub fn namespace(&self, name: &str) -> Option<&Value> {
        self.namespaces.get(name)
    }

    /// Objects added (a later object with the same key replaces an earlier one).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `{"cluster": ..., "namespace": ...}`: the value of `data.inventory`.
    pub fn to_value(&self) -> Value {
        fn objects(by_version: &ByVersion) -> Value {
            by_version
                .iter()
                .map(|(gv, kinds)| {
                    let kinds = kinds
                        .iter()
                        .map(|(kind, names)| {
                            let names = names.iter().map(|(n, o)| (n.clone(), o.clone()));
                            (kind.clone(), Value::Object(names.collect()))
                        })
                        .collect();
                    (gv.clone(), Value::Object(kinds))
                })
                .collect::<Map<String, Value>>()
                .into()
        }
        let mut out = Map::new();
        out.insert("cluster".into(), objects(&self.cluster));
        let namespaced = self
            .namespaced
            .iter()
            .map(|(ns, by_version)| (ns.clone(), objects(by_version)));
        out.insert("namespace".into(), Value::Object(namespaced.collect()));
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_keyed_like_gatekeeper() {
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"env": "prod"}}});
        let ing = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "shop"}});
        let inv = Inventory::of([&ns, &ing, &json!({"not": "kubernetes"})]);
        let v = inv.to_value();
        assert_eq!(v["cluster"]["v1"]["Namespace"]["shop"], ns);
        assert_eq!(
            v["namespace"]["shop"]["networking.k8s.io/v1"]["Ingress"]["web"],
            ing
        );
        assert_eq!(inv.len(), 2);
        assert_eq!(inv.namespace("shop"), Some(&ns));
        assert!(inv.namespace("other").is_none());
    }
}
