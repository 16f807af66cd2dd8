# METADATA
# title: Host ports
# description: Binding a container port to a port of the node bypasses network policies and limits where the pod can be scheduled. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-004
#   severity: medium
#   remediation: Remove hostPort from the container ports (or set it to 0) and expose the pod through a Service.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.host_ports

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	some i
	host_port := c.container.ports[i].hostPort
	host_port != 0
	host_port != null
	path := array.concat(c.path, ["ports", i, "hostPort"])
	msg := sprintf("%s in %s uses host port %v", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, host_port])
}
