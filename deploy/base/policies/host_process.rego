# METADATA
# title: Windows HostProcess containers
# description: Windows HostProcess containers run directly on the host with privileged access to it. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-011
#   severity: high
#   remediation: Remove securityContext.windowsOptions.hostProcess (or set it to false) at the pod and container level.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.host_process

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	data.railyard.kubernetes.input_pod_spec.securityContext.windowsOptions.hostProcess == true
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["windowsOptions", "hostProcess"])
	msg := sprintf("%s runs Windows HostProcess containers (pod-level hostProcess: true)", [data.railyard.kubernetes.input_resource_label])
}

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.container.securityContext.windowsOptions.hostProcess == true
	path := array.concat(c.path, ["securityContext", "windowsOptions", "hostProcess"])
	msg := sprintf("%s in %s is a Windows HostProcess container", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
