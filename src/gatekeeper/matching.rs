//! A constraint's `spec.match`: which objects it reviews. The semantics are
//! Gatekeeper's: every criterion that is set must hold; namespaces, excluded
//! namespaces and names take a `*` glob at the start, the end or both; a
//! namespaceSelector needs the object's Namespace (from the inventory), and
//! matches cluster-scoped objects that are not Namespaces.

use serde_json::Value;

use crate::input::PathSegment;

/// `kinds[]`: API groups and kinds; empty lists and `*` match all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kinds {
    /// `apiGroups` (`""` is the core group).
    pub api_groups: Vec<String>,
    /// `kinds`.
    pub kinds: Vec<String>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `In`: the label exists with one of the values.
    In(String, Vec<String>),
    /// `NotIn`: the label is absent or has none of the values.
    NotIn(String, Vec<String>),
    /// `Exists`.
    Exists(String),
    /// `DoesNotExist`.
    DoesNotExist(String),
}

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`, ANDed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// `matchLabels` as `key = value` requirements.
    pub labels: Vec<(String, String)>,
    /// `matchExpressions`.
    pub expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// Whether labels (an object of strings, or absent) satisfy the selector.
    pub fn matches(&self, labels: Option<&Value>) -> bool {
        let get = |key: &str| labels.and_then(|l| l.get(key)).and_then(Value::as_str);
        self.labels.iter().all(|(k, v)| get(k) == Some(v.as_str()))
            && self.expressions.iter().all(|r| match r {
                Requirement::In(k, values) => get(k).is_some_and(|v| values.iter().any(|x| x == v)),
                Requirement::NotIn(k, values) => {
                    get(k).is_none_or(|v| !values.iter().any(|x| x == v))
                }
                Requirement::Exists(k) => get(k).is_some(),
                Requirement::DoesNotExist(k) => get(k).is_none(),
            })
    }

    fn parse(value: &Value) -> Result<Self, (Vec<PathSegment>, String)> {
        let mut selector = LabelSelector::default();
        if !value.is_object() {
            return Err((Vec::new(), "a label selector must be a mapping".into()));
        }
        match value.get("matchLabels") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    let Some(v) = v.as_str() else {
                        return Err((
                            vec![key("matchLabels"), key(k)],
                            format!("matchLabels.{k} must be a string"),
                        ));
                    };
                    selector.labels.push((k.clone(), v.to_owned()));
                }
            }
            Some(_) => {
                return Err((
                    vec![key("matchLabels")],
                    "matchLabels must be a mapping".into(),
                ))
            }
        }
        match value.get("matchExpressions") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let at = vec![key("matchExpressions"), PathSegment::Index(i)];
                    selector
                        .expressions
                        .push(requirement(item).map_err(|m| (at, m))?);
                }
            }
            Some(_) => {
                return Err((
                    vec![key("matchExpressions")],
                    "matchExpressions must be a list".into(),
                ))
            }
        }
        Ok(selector)
    }
}

fn requirement(item: &Value) -> Result<Requirement, String> {
    let label = item
        .get("key")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or("a matchExpressions entry needs a key")?
        .to_owned();
    let values = match item.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(v)) => v
            .iter()
            .map(|x| x.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or("matchExpressions values must be strings")?,
        Some(_) => return Err("matchExpressions values must be a list".into()),
    };
    let operator = item.get("operator").and_then(Value::as_str).unwrap_or("");
    // The same checks as the API server's label selector validation.
    match operator {
        "In" | "NotIn" if values.is_empty() => {
            Err(format!("operator {operator} needs at least one value"))
        }
        "Exists" | "DoesNotExist" if !values.is_empty() => {
            Err(format!("operator {operator} takes no values"))
        }
        "In" => Ok(Requirement::In(label, values)),
        "NotIn" => Ok(Requirement::NotIn(label, values)),
        "Exists" => Ok(Requirement::Exists(label)),
        "DoesNotExist" => Ok(Requirement::DoesNotExist(label)),
        other => Err(format!(
            "unknown operator `{other}` (In, NotIn, Exists or DoesNotExist)"
        )),
    }
}

/// `scope`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// `*` or unset (and, as in Gatekeeper, any unknown value).
    #[default]
    All,
    /// `Cluster`: cluster-scoped objects and Namespaces.
    Cluster,
    /// `Namespaced`: objects in a namespace.
    Namespaced,
}

/// A constraint's `spec.match`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    /// `kinds`.
    pub kinds: Vec<Kinds>,
    /// `scope`.
    pub scope: Scope,
    /// `namespaces` (globs).
    pub namespaces: Vec<String>,
    /// `excludedNamespaces` (globs).
    pub excluded_namespaces: Vec<String>,
    /// `labelSelector`.
    pub label_selector: Option<LabelSelector>,
    /// `namespaceSelector`.
    pub namespace_selector: Option<LabelSelector>,
    /// `name` (a glob; empty matches every name).
    pub name: String,
    /// `source: Generated`: only resources generated by expansion, which
    /// Railyard does not produce, so such a constraint matches nothing.
    pub generated_only: bool,
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

fn string_list(
    value: Option<&Value>,
    field: &str,
) -> Result<Vec<String>, (Vec<PathSegment>, String)> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                (
                    vec![key(field)],
                    format!("{field} must be a list of strings"),
                )
            }),
        Some(_) => Err((
            vec![key(field)],
            format!("{field} must be a list of strings"),
        )),
    }
}

impl Match {
    /// Reads `spec.match`; an error names the path below `spec.match` and what is wrong.
    pub fn parse(value: &Value) -> Result<Match, (Vec<PathSegment>, String)> {
        if !value.is_object() {
            return Err((Vec::new(), "must be a mapping".into()));
        }
        let mut m = Match::default();
        match value.get("kinds") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let wrap = |(mut p, msg): (Vec<PathSegment>, String)| {
                        p.splice(0..0, [key("kinds"), PathSegment::Index(i)]);
                        (p, msg)
                    };
                    m.kinds.push(Kinds {
                        api_groups: string_list(item.get("apiGroups"), "apiGroups")
                            .map_err(wrap)?,
                        kinds: string_list(item.get("kinds"), "kinds").map_err(wrap)?,
                    });
                }
            }
            Some(_) => return Err((vec![key("kinds")], "kinds must be a list".into())),
        }
        m.scope = match value.get("scope").and_then(Value::as_str) {
            Some("Cluster") => Scope::Cluster,
            Some("Namespaced") => Scope::Namespaced,
            _ => Scope::All,
        };
        m.namespaces = string_list(value.get("namespaces"), "namespaces")?;
        m.excluded_namespaces = string_list(value.get("excludedNamespaces"), "excludedNamespaces")?;
        for (field, slot) in [
            ("labelSelector", &mut m.label_selector),
            ("namespaceSelector", &mut m.namespace_selector),
        ] {
            match value.get(field) {
                None | Some(Value::Null) => {}
                Some(s) => {
                    *slot = Some(LabelSelector::parse(s).map_err(|(mut p, msg)| {
                        p.insert(0, key(field));
                        (p, format!("{field}: {msg}"))
                    })?)
                }
            }
        }
        m.name = match value.get("name") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err((vec![key("name")], "name must be a string".into())),
        };
        m.generated_only = value.get("source").and_then(Value::as_str) == Some("Generated");
        Ok(m)
    }

    /// Whether the constraint reviews `object`, whose Namespace object (from
    /// the inventory) is `namespace` when known. An error when only the
    /// Namespace could tell (a namespaceSelector on a namespaced object whose
    /// Namespace is unknown), as in Gatekeeper.
    pub fn matches(&self, object: &Value, namespace: Option<&Value>) -> Result<bool, String> {
        if self.generated_only {
            return Ok(false);
        }
        let (group, kind) = group_kind(object);
        let is_namespace = kind == "Namespace" && group.is_empty();
        let own_namespace = str_at(object, "/metadata/namespace");
        let namespace_name = namespace.map(|n| str_at(n, "/metadata/name"));
        let has_namespace = !own_namespace.is_empty() || namespace.is_some();
        let kinds = self.kinds.is_empty()
            || self.kinds.iter().any(|k| {
                (k.kinds.is_empty() || k.kinds.iter().any(|x| x == "*" || x == kind))
                    && (k.api_groups.is_empty()
                        || k.api_groups.iter().any(|g| g == "*" || g == group))
            });
        if !kinds {
            return Ok(false);
        }
        let scope = match self.scope {
            Scope::All => true,
            Scope::Cluster => is_namespace || !has_namespace,
            Scope::Namespaced => !is_namespace && has_namespace,
        };
        if !scope {
            return Ok(false);
        }
        // The namespace the object is in (a Namespace is in itself).
        let effective = if is_namespace {
            Some(str_at(object, "/metadata/name"))
        } else if let Some(name) = namespace_name {
            Some(name)
        } else if !own_namespace.is_empty() {
            Some(own_namespace)
        } else {
            None
        };
        if !self.namespaces.is_empty() {
            if let Some(ns) = effective {
                if !self.namespaces.iter().any(|g| glob(g, ns)) {
                    return Ok(false);
                }
            }
        }
        if let Some(ns) = effective {
            if self.excluded_namespaces.iter().any(|g| glob(g, ns)) {
                return Ok(false);
            }
        }
        if let Some(selector) = &self.label_selector {
            if !selector.matches(object.pointer("/metadata/labels")) {
                return Ok(false);
            }
        }
        if let Some(selector) = &self.namespace_selector {
            let matched = if is_namespace {
                selector.matches(object.pointer("/metadata/labels"))
            } else if let Some(ns) = namespace {
                selector.matches(ns.pointer("/metadata/labels"))
            } else if own_namespace.is_empty() {
                // Cluster-scoped objects other than Namespaces always match.
                true
            } else {
                return Err(format!(
                    "the constraint has a namespaceSelector, but the Namespace `{own_namespace}` is not known (add it to the run or to the inventory)"
                ));
            };
            if !matched {
                return Ok(false);
            }
        }
        Ok(self.name.is_empty() || glob(&self.name, str_at(object, "/metadata/name")))
    }
}

fn str_at<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The API group and kind of an object (`apps/v1` -> `apps`; `v1` -> the core group `""`).
pub fn group_kind(object: &Value) -> (&str, &str) {
    let api_version = str_at(object, "/apiVersion");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    (group, str_at(object, "/kind"))
}

/// Gatekeeper's wildcard: `*` at the start, the end or both; otherwise exact.
pub fn glob(pattern: &str, candidate: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(rest), Some(_)) if !rest.is_empty() => {
            candidate.contains(rest.strip_suffix('*').unwrap_or(rest))
        }
        // `*` alone: both a prefix and a suffix glob of nothing.
        (Some(_), Some(_)) => true,
        (Some(suffix), None) => candidate.ends_with(suffix),
        (None, Some(prefix)) => candidate.starts_with(prefix),
        (None, None) => pattern == candidate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(spec: Value) -> Match {
        Match::parse(&spec).unwrap()
    }

    fn pod(ns: Option<&str>, labels: Value) -> Value {
        let mut v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "labels": labels}});
        if let Some(ns) = ns {
            v["metadata"]["namespace"] = json!(ns);
        }
        v
    }

    #[test]
    fn globs_are_prefix_suffix_or_both() {
        assert!(glob("kube-*", "kube-system"));
        assert!(!glob("kube-*", "my-kube"));
        assert!(glob("*-system", "gatekeeper-system"));
        assert!(glob("*sys*", "kube-system-x"));
        assert!(glob("*", "anything"));
        assert!(glob("exact", "exact") && !glob("exact", "exactly"));
    }

    #[test]
    fn kinds_groups_and_wildcards() {
        let deploy =
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}});
        let core = m(json!({"kinds": [{"apiGroups": [""], "kinds": ["Pod"]}]}));
        assert!(core.matches(&pod(None, json!({})), None).unwrap());
        assert!(!core.matches(&deploy, None).unwrap());
        let any_group = m(json!({"kinds": [{"apiGroups": ["*"], "kinds": ["Deployment"]}]}));
        assert!(any_group.matches(&deploy, None).unwrap());
        let all_kinds = m(json!({"kinds": [{"apiGroups": ["apps"], "kinds": ["*"]}]}));
        assert!(all_kinds.matches(&deploy, None).unwrap());
        assert!(!all_kinds.matches(&pod(None, json!({})), None).unwrap());
    }

    #[test]
    fn namespaces_excluded_scope_and_name() {
        let only = m(json!({"namespaces": ["team-*"], "excludedNamespaces": ["team-sandbox"]}));
        assert!(only.matches(&pod(Some("team-a"), json!({})), None).unwrap());
        assert!(!only
            .matches(&pod(Some("team-sandbox"), json!({})), None)
            .unwrap());
        assert!(!only.matches(&pod(Some("prod"), json!({})), None).unwrap());
        // No namespace known: nothing disqualifies it.
        assert!(only.matches(&pod(None, json!({})), None).unwrap());
        let cluster = m(json!({"scope": "Cluster"}));
        assert!(!cluster.matches(&pod(Some("a"), json!({})), None).unwrap());
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}});
        assert!(cluster.matches(&ns, None).unwrap());
        let namespaced = m(json!({"scope": "Namespaced"}));
        assert!(!namespaced.matches(&ns, None).unwrap());
        assert!(m(json!({"name": "web-*"}))
            .matches(&pod(None, json!({})), None)
            .unwrap());
        assert!(!m(json!({"name": "db-*"}))
            .matches(&pod(None, json!({})), None)
            .unwrap());
    }

    #[test]
    fn selectors() {
        let sel = m(json!({"labelSelector": {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["front", "edge"]},
            {"key": "legacy", "operator": "DoesNotExist"},
            {"key": "env", "operator": "NotIn", "values": ["dev"]}
        ]}}));
        assert!(sel
            .matches(&pod(None, json!({"app": "web", "tier": "edge"})), None)
            .unwrap());
        assert!(!sel
            .matches(&pod(None, json!({"app": "web", "tier": "back"})), None)
            .unwrap());
        assert!(!sel
            .matches(
                &pod(None, json!({"app": "web", "tier": "edge", "env": "dev"})),
                None
            )
            .unwrap());
        assert!(!sel
            .matches(
                &pod(None, json!({"app": "web", "tier": "edge", "legacy": "1"})),
                None
            )
            .unwrap());
        let nss = m(json!({"namespaceSelector": {"matchLabels": {"env": "prod"}}}));
        let prod = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "p", "labels": {"env": "prod"}}});
        assert!(nss
            .matches(&pod(Some("p"), json!({})), Some(&prod))
            .unwrap());
        assert!(nss.matches(&prod, None).unwrap());
        assert!(nss.matches(&pod(Some("p"), json!({})), None).is_err());
        // Cluster-scoped objects that are not Namespaces always match.
        let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}});
        assert!(nss.matches(&role, None).unwrap());
    }

    #[test]
    fn invalid_selectors_say_where() {
        let err = Match::parse(
            &json!({"labelSelector": {"matchExpressions": [{"key": "a", "operator": "In"}]}}),
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 3);
        assert!(err.1.contains("at least one value"), "{}", err.1);
        assert!(Match::parse(
            &json!({"labelSelector": {"matchExpressions": [{"key": "a", "operator": "Near"}]}})
        )
        .is_err());
    }
}
