# METADATA
# title: HostPath volumes
# description: HostPath volumes mount files and directories of the node into the pod, which can expose credentials and allow escaping to the host. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-003
#   severity: high
#   remediation: Replace the hostPath volume with a persistentVolumeClaim, configMap, secret, emptyDir or CSI volume.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.host_path_volumes


deny contains {"msg": msg, "path": path} if {
	some v in data.railyard.kubernetes.input_volumes
	host_path := v.volume.hostPath
	host_path != null
	path := array.concat(v.path, ["hostPath"])
	msg := sprintf("volume \"%v\" in %s mounts the host path \"%v\"", [object.get(v.volume, "name", "<unnamed>"), data.railyard.kubernetes.input_resource_label, object.get(v.volume, ["hostPath", "path"], "")])
}
