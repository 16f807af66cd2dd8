# METADATA
# title: Privilege escalation allowed
# description: Unless allowPrivilegeEscalation is false, a process in the container can gain more privileges than its parent (setuid binaries, file capabilities). Windows pods are exempt. Pod Security Standards (restricted).
# custom:
#   id: K8S-POD-013
#   severity: medium
#   remediation: Set securityContext.allowPrivilegeEscalation to false in every container.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.privilege_escalation

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	not data.railyard.kubernetes.input_is_windows
	some c in data.railyard.kubernetes.input_containers
	not k8s.security_context(c).allowPrivilegeEscalation == false
	path := array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"])
	msg := sprintf("%s in %s does not set allowPrivilegeEscalation to false", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
