# METADATA
# title: Missing readiness probe
# description: Without a readiness probe a container receives traffic as soon as it starts, before it can serve, and keeps receiving it when it cannot. Applies to long-running workloads, not Jobs, CronJobs or init containers.
# custom:
#   id: K8S-BP-005
#   severity: low
#   remediation: Add a readinessProbe (httpGet, tcpSocket, grpc or exec) that succeeds only when the container can serve requests.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package railyard.kubernetes.readiness_probe

import data.railyard.kubernetes as k8s

warn contains {"msg": msg, "path": path} if {
	some c in k8s.long_running_containers(input)
	not c.container.readinessProbe
	path := array.concat(c.path, ["readinessProbe"])
	msg := sprintf("%s in %s has no readiness probe", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
