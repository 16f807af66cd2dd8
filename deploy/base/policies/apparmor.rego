# METADATA
# title: AppArmor profile overridden
# description: Disabling the runtime's default AppArmor profile (unconfined, or any profile other than runtime/default or a localhost profile) removes a layer of isolation between the container and the host. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-006
#   severity: medium
#   remediation: Remove the AppArmor override, or set appArmorProfile.type to RuntimeDefault or Localhost (annotation value runtime/default or localhost/<profile>).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.apparmor

import data.railyard.kubernetes as k8s

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

allowed_types := {"RuntimeDefault", "Localhost", null}

# Beta annotation, one per container.
deny contains {"msg": msg, "path": path} if {
	some key, value in k8s.pod_annotations(input)
	is_string(key)
	startswith(key, annotation_prefix)
	not allowed_annotation_value(value)
	path := array.concat(k8s.pod_metadata_path(input), ["annotations", key])
	container := trim_prefix(key, annotation_prefix)
	msg := sprintf("%s sets AppArmor profile \"%v\" for container \"%s\"", [data.railyard.kubernetes.input_resource_label, value, container])
}

allowed_annotation_value(value) if value == "runtime/default"

allowed_annotation_value(value) if {
	is_string(value)
	startswith(value, "localhost/")
}

# Pod-level appArmorProfile field.
deny contains {"msg": msg, "path": path} if {
	profile_type := data.railyard.kubernetes.input_pod_spec.securityContext.appArmorProfile.type
	not profile_type in allowed_types
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["appArmorProfile", "type"])
	msg := sprintf("%s sets AppArmor profile type %v at the pod level", [data.railyard.kubernetes.input_resource_label, profile_type])
}

# Container-level appArmorProfile field.
deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	profile_type := c.container.securityContext.appArmorProfile.type
	not profile_type in allowed_types
	path := array.concat(c.path, ["securityContext", "appArmorProfile", "type"])
	msg := sprintf("%s in %s sets AppArmor profile type %v", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, profile_type])
}
