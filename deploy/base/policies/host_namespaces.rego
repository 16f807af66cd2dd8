# METADATA
# title: Host namespaces
# description: Sharing the host's network, PID or IPC namespace lets a pod see and reach host processes, traffic and shared memory. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-002
#   severity: high
#   remediation: Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.host_namespaces

import data.railyard.kubernetes as k8s

host_fields := {
	"hostNetwork": "network",
	"hostPID": "PID",
	"hostIPC": "IPC",
}

deny contains {"msg": msg, "path": path} if {
	spec := data.railyard.kubernetes.input_pod_spec
	some field, ns in host_fields
	spec[field] == true
	path := array.concat(k8s.pod_spec_path(input), [field])
	msg := sprintf("%s shares the host %s namespace (%s: true)", [data.railyard.kubernetes.input_resource_label, ns, field])
}
