# METADATA
# title: Writable root filesystem
# description: A writable root filesystem lets an attacker who gets into the container modify its binaries and configuration and persist there. Write to mounted volumes (emptyDir) instead.
# custom:
#   id: K8S-BP-008
#   severity: low
#   remediation: Set securityContext.readOnlyRootFilesystem to true and mount an emptyDir volume where the application must write (/tmp, caches).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.read_only_root_filesystem

import data.railyard.kubernetes as k8s

checked_types := {"containers", "initContainers"}

warn contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	c.type in checked_types
	not c.container.securityContext.readOnlyRootFilesystem == true
	path := array.concat(c.path, ["securityContext", "readOnlyRootFilesystem"])
	msg := sprintf("%s in %s does not set readOnlyRootFilesystem to true", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label])
}
