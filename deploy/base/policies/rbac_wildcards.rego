# METADATA
# title: RBAC wildcards
# description: A Role or ClusterRole rule with * in verbs, resources or apiGroups grants every current and future permission of that kind, including ones nobody meant to grant.
# custom:
#   id: K8S-RBAC-001
#   severity: high
#   remediation: List the verbs, resources and apiGroups the subject needs explicitly instead of using *.
#   targets: [Role, ClusterRole]
package railyard.kubernetes.rbac_wildcards


fields := ["apiGroups", "resources", "verbs"]

deny contains {"msg": msg, "path": ["rules", i, field, j]} if {
	some field in fields
	some i, j
	value := input.rules[i][field][j]
	is_string(value)
	contains(value, "*")
	msg := sprintf("rule %d of %s uses the wildcard \"%s\" in %s", [i, data.railyard.kubernetes.input_resource_label, value, field])
}
