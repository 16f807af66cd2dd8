# METADATA
# title: Added capabilities beyond the baseline set
# description: Linux capabilities such as SYS_ADMIN, NET_ADMIN or NET_RAW give a container powers that can be used to escape to the host. Only the default container runtime capabilities may be added. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-005
#   severity: high
#   remediation: Remove the capability from securityContext.capabilities.add; only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may be added.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.capabilities_baseline

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	some i
	cap := c.container.securityContext.capabilities.add[i]
	not cap in data.railyard.kubernetes.baseline_capabilities
	path := array.concat(c.path, ["securityContext", "capabilities", "add", i])
	msg := sprintf("%s in %s adds capability %v, which the baseline profile does not allow", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, cap])
}
