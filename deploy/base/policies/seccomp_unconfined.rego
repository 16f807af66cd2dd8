# METADATA
# title: Seccomp profile disabled
# description: An Unconfined seccomp profile lets the container make any system call, widening the kernel attack surface. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-009
#   severity: medium
#   remediation: Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a profile), at the pod or container level.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.seccomp_unconfined

import data.railyard.kubernetes as k8s

allowed_types := {"RuntimeDefault", "Localhost", null}

deny contains {"msg": msg, "path": path} if {
	profile_type := data.railyard.kubernetes.input_pod_spec.securityContext.seccompProfile.type
	not profile_type in allowed_types
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["seccompProfile", "type"])
	msg := sprintf("%s sets seccomp profile %v at the pod level", [data.railyard.kubernetes.input_resource_label, profile_type])
}

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	profile_type := c.container.securityContext.seccompProfile.type
	not profile_type in allowed_types
	path := array.concat(c.path, ["securityContext", "seccompProfile", "type"])
	msg := sprintf("%s in %s sets seccomp profile %v", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, profile_type])
}

# Legacy annotations (removed in Kubernetes 1.27 but still found in old manifests).
deny contains {"msg": msg, "path": path} if {
	some key, value in k8s.pod_annotations(input)
	legacy_annotation(key)
	value == "unconfined"
	path := array.concat(k8s.pod_metadata_path(input), ["annotations", key])
	msg := sprintf("%s sets seccomp profile unconfined with annotation %v", [data.railyard.kubernetes.input_resource_label, key])
}

legacy_annotation(key) if key == "seccomp.security.alpha.kubernetes.io/pod"

legacy_annotation(key) if {
	is_string(key)
	startswith(key, "container.seccomp.security.alpha.kubernetes.io/")
}
