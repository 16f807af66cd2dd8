# METADATA
# title: Resource in the default namespace
# description: Putting applications in the default namespace mixes them with everything else, so RBAC, quotas and network policies cannot be scoped to them. Only reported when metadata.namespace is explicitly default.
# custom:
#   id: K8S-BP-006
#   severity: low
#   remediation: Create a namespace for the application and set metadata.namespace to it (or leave it unset and choose the namespace at deploy time).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Service, ConfigMap, Secret, ServiceAccount, Ingress, NetworkPolicy, PersistentVolumeClaim, Role, RoleBinding, HorizontalPodAutoscaler, PodDisruptionBudget, LimitRange, ResourceQuota]
package railyard.kubernetes.default_namespace


warn contains {"msg": msg, "path": ["metadata", "namespace"]} if {
	input.metadata.namespace == "default"
	msg := sprintf("%s is in the default namespace", [data.railyard.kubernetes.input_resource_label])
}
