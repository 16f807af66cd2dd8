# Helpers for Kubernetes policies: where the pod spec, the pod metadata, the
# containers and the volumes live in each kind, with the path (array of keys
# and indices from the document root) to each of them so that findings can
# point at the offending line.
#
# Usage: `import data.railyard.kubernetes as k8s`, then e.g.
#   some c in k8s.containers(input)
#   c.container.securityContext.privileged == true
#   path := array.concat(c.path, ["securityContext", "privileged"])
#
# Call the functions through the import alias (k8s.containers(input)), but read
# the constant sets by their full path (data.railyard.kubernetes.workload_kinds):
# regorus 0.14.1 evaluates every package under data.railyard.kubernetes when a
# rule (not a function) is read through the alias, which is slow, and is a
# recursion error when the reading package is itself under railyard.kubernetes.
# Policy packages under railyard.kubernetes must not be named after a helper
# below (a package railyard.kubernetes.image_tag would clash with image_tag).
#
# For the document being checked, prefer the input_* rules below to calling
# the functions on `input`: Railyard evaluates all of a document's rules in one
# query, and regorus caches rule values within a query (not function results),
# so data.railyard.kubernetes.input_containers is computed once per document
# however many policies read it.
package railyard.kubernetes

# The functions below applied to the input document, cached per evaluation.
input_containers := containers(input)

input_volumes := volumes(input)

input_pod_spec := pod_spec(input)

input_pod_security_context_path := pod_security_context_path(input)

input_resource_label := resource_label(input)

input_is_windows if is_windows(input)

# Kinds that run pods: Pod itself and every built-in kind with a pod template.
workload_kinds := {
	"Pod",
	"Deployment",
	"StatefulSet",
	"DaemonSet",
	"ReplicaSet",
	"ReplicationController",
	"Job",
	"CronJob",
}

# Kinds whose pod template is at spec.template.
template_kinds := {
	"Deployment",
	"StatefulSet",
	"DaemonSet",
	"ReplicaSet",
	"ReplicationController",
	"Job",
}

# Kinds whose pods are expected to run until stopped (services, daemons), as
# opposed to batch kinds (Job, CronJob) whose pods run to completion.
long_running_kinds := {
	"Pod",
	"Deployment",
	"StatefulSet",
	"DaemonSet",
	"ReplicaSet",
	"ReplicationController",
}

# The three lists of containers of a pod spec.
container_types := ["containers", "initContainers", "ephemeralContainers"]

# baseline_capabilities: the Linux capabilities that the Pod Security Standards
# baseline profile allows containers to add (the container runtime defaults).
baseline_capabilities := {
	"AUDIT_WRITE",
	"CHOWN",
	"DAC_OVERRIDE",
	"FOWNER",
	"FSETID",
	"KILL",
	"MKNOD",
	"NET_BIND_SERVICE",
	"SETFCAP",
	"SETGID",
	"SETPCAP",
	"SETUID",
	"SYS_CHROOT",
}

# is_workload(obj): true when obj is a kind that runs pods.
is_workload(obj) if obj.kind in workload_kinds

# pod_spec_path(obj): path to the pod spec of obj, as an array of keys.
pod_spec_path(obj) := ["spec"] if obj.kind == "Pod"

pod_spec_path(obj) := ["spec", "template", "spec"] if obj.kind in template_kinds

pod_spec_path(obj) := ["spec", "jobTemplate", "spec", "template", "spec"] if obj.kind == "CronJob"

# pod_spec(obj): the pod spec of obj (undefined when obj runs no pods or has none).
pod_spec(obj) := obj.spec if obj.kind == "Pod"

pod_spec(obj) := obj.spec.template.spec if obj.kind in template_kinds

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if obj.kind == "CronJob"

# pod_metadata_path(obj): path to the metadata of the pods that obj creates.
pod_metadata_path(obj) := ["metadata"] if obj.kind == "Pod"

pod_metadata_path(obj) := ["spec", "template", "metadata"] if obj.kind in template_kinds

pod_metadata_path(obj) := ["spec", "jobTemplate", "spec", "template", "metadata"] if obj.kind == "CronJob"

# pod_metadata(obj): the metadata of the pods that obj creates (for pod
# annotations such as AppArmor); undefined when absent.
pod_metadata(obj) := obj.metadata if obj.kind == "Pod"

pod_metadata(obj) := obj.spec.template.metadata if obj.kind in template_kinds

pod_metadata(obj) := obj.spec.jobTemplate.spec.template.metadata if obj.kind == "CronJob"

# pod_annotations(obj): the annotations of the pods that obj creates ({} when none).
pod_annotations(obj) := a if {
	a := pod_metadata(obj).annotations
	is_object(a)
} else := {}

# containers(obj): every container of obj's pod spec, across containers,
# initContainers and ephemeralContainers, as a set of
#   {"container": <container>, "path": [..., "containers", 0], "type": "containers"}
containers(obj) := {c |
	spec := pod_spec(obj)
	base := pod_spec_path(obj)
	some type in container_types
	list := spec[type]
	is_array(list)
	some i, ctr in list
	c := {"container": ctr, "path": array.concat(base, [type, i]), "type": type}
}

# volumes(obj): every volume of obj's pod spec, as a set of
#   {"volume": <volume>, "path": [..., "volumes", 0]}
volumes(obj) := {v |
	spec := pod_spec(obj)
	list := spec.volumes
	is_array(list)
	base := pod_spec_path(obj)
	some i, vol in list
	v := {"volume": vol, "path": array.concat(base, ["volumes", i])}
}

# pod_security_context_path(obj): path to the pod-level securityContext.
pod_security_context_path(obj) := array.concat(pod_spec_path(obj), ["securityContext"])

# pod_security_context(obj): the pod-level securityContext ({} when absent).
pod_security_context(obj) := sc if {
	sc := pod_spec(obj).securityContext
	is_object(sc)
} else := {}

# security_context(c): the securityContext of a container entry from
# containers(obj) ({} when absent).
security_context(c) := sc if {
	sc := c.container.securityContext
	is_object(sc)
} else := {}

# is_windows(obj): true when the pod spec declares os.name windows (the Pod
# Security Standards exempt such pods from some Linux-only controls).
is_windows(obj) if pod_spec(obj).os.name == "windows"

# name(obj): metadata.name, else metadata.generateName, else "<unnamed>".
name(obj) := n if {
	n := obj.metadata.name
	is_string(n)
} else := n if {
	n := obj.metadata.generateName
	is_string(n)
} else := "<unnamed>"

# namespace(obj): metadata.namespace, or "" when not set.
namespace(obj) := ns if {
	ns := obj.metadata.namespace
	is_string(ns)
} else := ""

# kind(obj): the kind, or "Object" when absent.
kind(obj) := k if {
	k := obj.kind
	is_string(k)
} else := "Object"

# labels(obj): metadata.labels ({} when none).
labels(obj) := l if {
	l := obj.metadata.labels
	is_object(l)
} else := {}

# resource_label(obj): how messages name an object, e.g. `Deployment "web"`.
resource_label(obj) := sprintf("%v \"%v\"", [kind(obj), name(obj)])

# container_name(c): the name of a container entry ("<unnamed>" when absent).
container_name(c) := n if {
	n := c.container.name
	is_string(n)
} else := "<unnamed>"

# container_label(c): how messages name a container entry, e.g.
# `container "web"`, `init container "setup"`, `ephemeral container "debug"`.
container_label(c) := sprintf("%v \"%v\"", [container_type_labels[c.type], container_name(c)])

container_type_labels := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

# is_sidecar(c): an init container that keeps running beside the main
# containers (restartPolicy: Always, Kubernetes 1.28+).
is_sidecar(c) if {
	c.type == "initContainers"
	c.container.restartPolicy == "Always"
}

# long_running_containers(obj): the main containers (not init or ephemeral
# containers) of Deployments, StatefulSets, DaemonSets, ReplicaSets,
# ReplicationControllers and of Pods whose restartPolicy is Always (or unset).
# Empty for Jobs, CronJobs and run-to-completion Pods.
long_running_containers(obj) := {c |
	obj.kind in long_running_kinds
	not pod_runs_to_completion(obj)
	some c in containers(obj)
	c.type == "containers"
}

# pod_runs_to_completion(obj): the pod spec's restartPolicy is Never or OnFailure.
pod_runs_to_completion(obj) if pod_spec(obj).restartPolicy in {"Never", "OnFailure"}

# image_has_digest(image): the image reference is pinned by digest (name@sha256:...).
image_has_digest(image) if {
	is_string(image)
	contains(image, "@")
}

# image_tag(image): the tag of an image reference without a digest, or "" when
# it has none (a ":" before the last "/" is a registry port, not a tag).
image_tag(image) := tag if {
	is_string(image)
	not image_has_digest(image)
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
} else := ""
