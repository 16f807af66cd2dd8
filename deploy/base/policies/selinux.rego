# METADATA
# title: Custom SELinux options
# description: Setting a custom SELinux type, user or role can grant a container the host's SELinux privileges. Only the container types container_t, container_init_t, container_kvm_t and container_engine_t are allowed, and user and role must not be set. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-007
#   severity: medium
#   remediation: Remove seLinuxOptions.user and seLinuxOptions.role, and set seLinuxOptions.type only to container_t, container_init_t, container_kvm_t or container_engine_t (or leave it unset).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.selinux

import data.railyard.kubernetes as k8s

allowed_types := {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

# Each securityContext that may carry seLinuxOptions, with its path and how
# messages name its owner.
contexts contains {"options": opts, "path": path, "owner": data.railyard.kubernetes.input_resource_label} if {
	opts := data.railyard.kubernetes.input_pod_spec.securityContext.seLinuxOptions
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["seLinuxOptions"])
}

contexts contains {"options": opts, "path": path, "owner": owner} if {
	some c in data.railyard.kubernetes.input_containers
	opts := c.container.securityContext.seLinuxOptions
	path := array.concat(c.path, ["securityContext", "seLinuxOptions"])
	owner := sprintf("%s in %s", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}

deny contains {"msg": msg, "path": path} if {
	some ctx in contexts
	selinux_type := ctx.options.type
	not selinux_type in allowed_types
	path := array.concat(ctx.path, ["type"])
	msg := sprintf("%s sets SELinux type \"%v\"", [ctx.owner, selinux_type])
}

deny contains {"msg": msg, "path": path} if {
	some ctx in contexts
	some field in ["user", "role"]
	value := ctx.options[field]
	not value in {"", null}
	path := array.concat(ctx.path, [field])
	msg := sprintf("%s sets SELinux %s \"%v\"", [ctx.owner, field, value])
}
