# METADATA
# title: Missing resource requests
# description: Without CPU and memory requests the scheduler cannot place the pod sensibly, and the pod gets the lowest quality of service (BestEffort), so it is evicted first under node pressure.
# custom:
#   id: K8S-BP-002
#   severity: medium
#   remediation: Set resources.requests.cpu and resources.requests.memory in every container (for example cpu 100m, memory 128Mi, measured from real usage).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.resource_requests

import data.railyard.kubernetes as k8s

# Ephemeral containers cannot have resources.
checked_types := {"containers", "initContainers"}

requests(c) := r if {
	r := c.container.resources.requests
	is_object(r)
}

# No requests at all: one finding.
warn contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.type in checked_types
	not requests(c)
	path := array.concat(c.path, ["resources", "requests"])
	msg := sprintf("%s in %s has no resource requests", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}

# Some requests: one finding per missing resource.
warn contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.type in checked_types
	r := requests(c)
	some resource in ["cpu", "memory"]
	not r[resource]
	path := array.concat(c.path, ["resources", "requests", resource])
	msg := sprintf("%s in %s has no %s request", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, resource])
}
