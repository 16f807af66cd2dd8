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
	k8s.pod_spec(input).securityContext.windowsOptions.hostProcess == true
	path := array.concat(k8s.pod_security_context_path(input), ["windowsOptions", "hostProcess"])
	msg := sprintf("%s runs Windows HostProcess containers (pod-level hostProcess: true)", [k8s.resource_label(input)])
}

deny contains {"msg": msg, "path": path} if {
	some c in k8s.containers(input)
	c.container.securityContext.windowsOptions.hostProcess == true
	path := array.concat(c.path, ["securityContext", "windowsOptions", "hostProcess"])
	msg := sprintf("%s in %s is a Windows HostProcess container", [k8s.container_label(c), k8s.resource_label(input)])
}
