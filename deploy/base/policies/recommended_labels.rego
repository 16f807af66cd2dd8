# METADATA
# title: Missing recommended labels
# description: The recommended label app.kubernetes.io/name lets tools, dashboards and selectors find which application an object belongs to.
# custom:
#   id: K8S-BP-007
#   severity: info
#   remediation: Add the label app.kubernetes.io/name (and ideally app.kubernetes.io/instance, version, component, part-of) to metadata.labels.
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Service]
package railyard.kubernetes.recommended_labels

import data.railyard.kubernetes as k8s

recommended := ["app.kubernetes.io/name"]

warn contains {"msg": msg, "path": ["metadata", "labels", label]} if {
	labels := k8s.labels(input)
	some label in recommended
	not labels[label]
	msg := sprintf("%s has no %s label", [data.railyard.kubernetes.input_resource_label, label])
}
