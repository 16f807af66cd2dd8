# METADATA
# title: Service account token mounted
# description: Unless automountServiceAccountToken is false, every container gets a Kubernetes API token that an attacker in the pod can use. Most applications never call the API.
# custom:
#   id: K8S-BP-009
#   severity: low
#   remediation: Set automountServiceAccountToken to false in the pod spec (or on its ServiceAccount) unless the application talks to the Kubernetes API.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.automount_service_account_token

import data.railyard.kubernetes as k8s

warn contains {"msg": msg, "path": path} if {
	spec := data.railyard.kubernetes.input_pod_spec
	not spec.automountServiceAccountToken == false
	path := array.concat(k8s.pod_spec_path(input), ["automountServiceAccountToken"])
	msg := sprintf("%s does not set automountServiceAccountToken to false", [data.railyard.kubernetes.input_resource_label])
}
