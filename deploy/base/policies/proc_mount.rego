# METADATA
# title: Unmasked /proc mount
# description: A procMount other than Default (Unmasked) exposes parts of the host's /proc that the container runtime normally masks. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-008
#   severity: medium
#   remediation: Remove securityContext.procMount or set it to Default.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.proc_mount

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	proc_mount := c.container.securityContext.procMount
	not proc_mount in {"Default", null}
	path := array.concat(c.path, ["securityContext", "procMount"])
	msg := sprintf("%s in %s sets procMount to %v", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, proc_mount])
}
