package railyard.kubernetes.rbac_cluster_admin_test

import data.railyard.kubernetes.rbac_cluster_admin

binding(kind, role_kind, role_name) := {
	"apiVersion": "rbac.authorization.k8s.io/v1",
	"kind": kind,
	"metadata": {"name": "b"},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
	"subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "tools"}, {"kind": "Group", "name": "devs"}],
}

test_other_roles_pass if {
	count(rbac_cluster_admin.warn) == 0 with input as binding("ClusterRoleBinding", "ClusterRole", "view")
	count(rbac_cluster_admin.warn) == 0 with input as binding("RoleBinding", "Role", "cluster-admin")
}

test_cluster_admin_binding_warned if {
	findings := rbac_cluster_admin.warn with input as binding("ClusterRoleBinding", "ClusterRole", "cluster-admin")
	findings == {{
		"msg": `ClusterRoleBinding "b" grants cluster-admin to ServiceAccount "ci", Group "devs"`,
		"path": ["roleRef", "name"],
	}}
}

test_cluster_admin_role_binding_without_subjects_warned if {
	findings := rbac_cluster_admin.warn with input as object.remove(binding("RoleBinding", "ClusterRole", "cluster-admin"), ["subjects"])
	findings == {{"msg": `RoleBinding "b" grants cluster-admin to no subjects`, "path": ["roleRef", "name"]}}
}
