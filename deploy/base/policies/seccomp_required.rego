# METADATA
# title: Seccomp profile not set
# description: The restricted profile requires a seccomp profile (RuntimeDefault or Localhost) to be set explicitly, at the pod level or in every container; without one, many runtimes run containers unconfined. Unconfined profiles are reported by K8S-POD-009. Windows pods are exempt. Pod Security Standards (restricted).
# custom:
#   id: K8S-POD-016
#   severity: medium
#   remediation: Set spec.securityContext.seccompProfile.type to RuntimeDefault (or Localhost with localhostProfile) in the pod spec.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.seccomp_required

import data.railyard.kubernetes as k8s

pod_type := object.get(k8s.pod_security_context(input), ["seccompProfile", "type"], null)

container_type(c) := object.get(k8s.security_context(c), ["seccompProfile", "type"], null)

# At least one container sets a seccomp profile itself.
some_container_sets if {
	some c in data.railyard.kubernetes.input_containers
	container_type(c) != null
}

# Set nowhere: one finding at the pod level, where the fix belongs.
deny contains {"msg": msg, "path": path} if {
	not data.railyard.kubernetes.input_is_windows
	pod_type == null
	count(data.railyard.kubernetes.input_containers) > 0
	not some_container_sets
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["seccompProfile", "type"])
	msg := sprintf("%s does not set a seccomp profile (at the pod level or in its containers)", [data.railyard.kubernetes.input_resource_label])
}

# Set in some containers only: one finding per container that lacks it.
deny contains {"msg": msg, "path": path} if {
	not data.railyard.kubernetes.input_is_windows
	pod_type == null
	some_container_sets
	some c in data.railyard.kubernetes.input_containers
	container_type(c) == null
	path := array.concat(c.path, ["securityContext", "seccompProfile", "type"])
	msg := sprintf("%s in %s does not set a seccomp profile (nor does the pod)", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
