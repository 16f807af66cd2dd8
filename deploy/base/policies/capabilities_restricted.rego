# METADATA
# title: Capabilities not dropped
# description: The restricted profile requires every container to drop ALL capabilities and add back at most NET_BIND_SERVICE. Added capabilities outside the baseline set are reported by K8S-POD-005. Windows pods are exempt. Pod Security Standards (restricted).
# custom:
#   id: K8S-POD-017
#   severity: medium
#   remediation: Set securityContext.capabilities.drop to ["ALL"] in every container and add back only NET_BIND_SERVICE if the container binds a port below 1024.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.capabilities_restricted

import data.railyard.kubernetes as k8s

drops_all(c) if c.container.securityContext.capabilities.drop[_] == "ALL"

deny contains {"msg": msg, "path": path} if {
	not data.railyard.kubernetes.input_is_windows
	some c in data.railyard.kubernetes.input_containers
	not drops_all(c)
	path := array.concat(c.path, ["securityContext", "capabilities", "drop"])
	msg := sprintf("%s in %s does not drop ALL capabilities", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}

deny contains {"msg": msg, "path": path} if {
	not data.railyard.kubernetes.input_is_windows
	some c in data.railyard.kubernetes.input_containers
	some i
	cap := c.container.securityContext.capabilities.add[i]
	cap != "NET_BIND_SERVICE"
	cap in data.railyard.kubernetes.baseline_capabilities
	path := array.concat(c.path, ["securityContext", "capabilities", "add", i])
	msg := sprintf("%s in %s adds capability %v; the restricted profile allows only NET_BIND_SERVICE", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, cap])
}
