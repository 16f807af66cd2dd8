# METADATA
# title: Missing liveness probe
# description: Without a liveness probe Kubernetes cannot tell that a container is stuck (deadlocked, hung) and restart it. Applies to long-running workloads, not Jobs, CronJobs or init containers.
# custom:
#   id: K8S-BP-004
#   severity: low
#   remediation: Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when the process cannot recover by itself.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package railyard.kubernetes.liveness_probe

import data.railyard.kubernetes as k8s

warn contains {"msg": msg, "path": path} if {
	some c in k8s.long_running_containers(input)
	not c.container.livenessProbe
	path := array.concat(c.path, ["livenessProbe"])
	msg := sprintf("%s in %s has no liveness probe", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
