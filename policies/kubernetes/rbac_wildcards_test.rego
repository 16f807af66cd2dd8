package railyard.kubernetes.rbac_wildcards_test

import data.railyard.kubernetes.rbac_wildcards

role(kind, rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "r"}, "rules": rules}

test_explicit_rules_pass if {
	count(rbac_wildcards.deny) == 0 with input as role("Role", [
		{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]},
		{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]},
	])
	count(rbac_wildcards.deny) == 0 with input as role("ClusterRole", [])
}

test_wildcard_verbs_denied if {
	findings := rbac_wildcards.deny with input as role("Role", [
		{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
		{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "*"]},
	])
	findings == {{
		"msg": `rule 1 of Role "r" uses the wildcard "*" in verbs`,
		"path": ["rules", 1, "verbs", 1],
	}}
}

test_cluster_admin_like_role_denied if {
	findings := rbac_wildcards.deny with input as role("ClusterRole", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}])
	{f.path | some f in findings} == {
		["rules", 0, "apiGroups", 0],
		["rules", 0, "resources", 0],
		["rules", 0, "verbs", 0],
	}
}

test_subresource_wildcard_denied if {
	findings := rbac_wildcards.deny with input as role("ClusterRole", [{"apiGroups": [""], "resources": ["*/scale"], "verbs": ["update"]}])
	{f.path | some f in findings} == {["rules", 0, "resources", 0]}
}
