# METADATA
# title: Privileged containers
# description: Privileged containers have full access to the host's devices and kernel, equivalent to root on the node. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-001
#   severity: high
#   remediation: Set securityContext.privileged to false (or remove it).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.privileged

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.container.securityContext.privileged == true
	path := array.concat(c.path, ["securityContext", "privileged"])
	msg := sprintf("%s in %s is privileged", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
