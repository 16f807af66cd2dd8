# METADATA
# title: Missing memory limit
# description: A container without a memory limit can use all the memory of its node, starving other pods until the kernel kills processes. CPU limits are not required (they throttle rather than protect).
# custom:
#   id: K8S-BP-003
#   severity: medium
#   remediation: Set resources.limits.memory in every container (usually equal to resources.requests.memory).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.resource_limits

import data.railyard.kubernetes as k8s

# Ephemeral containers cannot have resources.
checked_types := {"containers", "initContainers"}

warn contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.type in checked_types
	not c.container.resources.limits.memory
	path := array.concat(c.path, ["resources", "limits", "memory"])
	msg := sprintf("%s in %s has no memory limit", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
