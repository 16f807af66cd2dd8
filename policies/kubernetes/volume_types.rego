# METADATA
# title: Restricted volume types
# description: Under the restricted profile a pod may only use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; other types (nfs, iscsi, gitRepo, ...) reach node or network storage directly. HostPath volumes are reported by K8S-POD-003. Pod Security Standards (restricted).
# custom:
#   id: K8S-POD-012
#   severity: medium
#   remediation: Replace the volume with one of configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret (for storage, a PersistentVolumeClaim bound to a PersistentVolume of that type).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.volume_types


allowed_types := {
	"configMap",
	"csi",
	"downwardAPI",
	"emptyDir",
	"ephemeral",
	"persistentVolumeClaim",
	"projected",
	"secret",
}

# Keys of a volume that are not its source. hostPath has its own rule.
ignored_keys := {"name", "hostPath"}

deny contains {"msg": msg, "path": path} if {
	some v in data.railyard.kubernetes.input_volumes
	is_object(v.volume)
	some key, source in v.volume
	not key in ignored_keys
	not key in allowed_types
	source != null
	path := array.concat(v.path, [key])
	msg := sprintf("volume \"%v\" in %s has type %v, which the restricted profile does not allow", [object.get(v.volume, "name", "<unnamed>"), data.railyard.kubernetes.input_resource_label, key])
}
