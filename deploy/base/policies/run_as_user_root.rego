# METADATA
# title: Containers run as UID 0
# description: runAsUser 0 runs the container's processes as root, whatever the image says. Pod Security Standards (restricted).
# custom:
#   id: K8S-POD-015
#   severity: high
#   remediation: Set securityContext.runAsUser to a non-zero UID (for example 10001), or remove it and set runAsNonRoot to true.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.run_as_user_root

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	data.railyard.kubernetes.input_pod_spec.securityContext.runAsUser == 0
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["runAsUser"])
	msg := sprintf("%s runs as root (runAsUser: 0 at the pod level)", [data.railyard.kubernetes.input_resource_label])
}

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.container.securityContext.runAsUser == 0
	path := array.concat(c.path, ["securityContext", "runAsUser"])
	msg := sprintf("%s in %s runs as root (runAsUser: 0)", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
