# METADATA
# title: Containers may run as root
# description: Unless runAsNonRoot is true (at the pod level, or in every container), the kubelet lets a container start as root when its image says so. Pod Security Standards (restricted).
# custom:
#   id: K8S-POD-014
#   severity: medium
#   remediation: Set securityContext.runAsNonRoot to true at the pod level (spec.securityContext) or in every container, and never to false.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.run_as_non_root

import data.railyard.kubernetes as k8s

pod_value := object.get(k8s.pod_security_context(input), "runAsNonRoot", null)

container_value(c) := object.get(k8s.security_context(c), "runAsNonRoot", null)

pod_path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["runAsNonRoot"])

# At least one container sets runAsNonRoot itself.
some_container_sets if {
	some c in data.railyard.kubernetes.input_containers
	container_value(c) != null
}

deny contains {"msg": msg, "path": pod_path} if {
	pod_value == false
	msg := sprintf("%s sets runAsNonRoot to false at the pod level", [data.railyard.kubernetes.input_resource_label])
}

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	container_value(c) == false
	path := array.concat(c.path, ["securityContext", "runAsNonRoot"])
	msg := sprintf("%s in %s sets runAsNonRoot to false", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}

# Set nowhere: one finding at the pod level, where the fix belongs.
deny contains {"msg": msg, "path": pod_path} if {
	pod_value == null
	count(data.railyard.kubernetes.input_containers) > 0
	not some_container_sets
	msg := sprintf("%s does not set runAsNonRoot to true (at the pod level or in its containers)", [data.railyard.kubernetes.input_resource_label])
}

# Set in some containers only: one finding per container that lacks it.
deny contains {"msg": msg, "path": path} if {
	pod_value == null
	some_container_sets
	some c in data.railyard.kubernetes.input_containers
	container_value(c) == null
	path := array.concat(c.path, ["securityContext", "runAsNonRoot"])
	msg := sprintf("%s in %s does not set runAsNonRoot to true (nor does the pod)", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
