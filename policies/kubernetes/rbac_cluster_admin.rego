# METADATA
# title: Binding to cluster-admin
# description: Binding a subject to the cluster-admin ClusterRole gives it full control of the cluster (or of the namespace, in a RoleBinding); the binding should name a role with the permissions it needs.
# custom:
#   id: K8S-RBAC-002
#   severity: high
#   remediation: Bind a Role or ClusterRole that grants only the permissions the subject needs.
#   targets: [ClusterRoleBinding, RoleBinding]
package railyard.kubernetes.rbac_cluster_admin


warn contains {"msg": msg, "path": ["roleRef", "name"]} if {
	input.roleRef.kind == "ClusterRole"
	input.roleRef.name == "cluster-admin"
	msg := sprintf("%s grants cluster-admin to %s", [data.railyard.kubernetes.input_resource_label, subjects])
}

# The subjects of the binding, for the message.
subjects := s if {
	is_array(input.subjects)
	count(input.subjects) > 0
	s := concat(", ", [sprintf("%v \"%v\"", [object.get(subj, "kind", "subject"), object.get(subj, "name", "")]) |
		some subj in input.subjects
		is_object(subj)
	])
} else := "no subjects"
