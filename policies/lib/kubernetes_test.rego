package railyard.kubernetes_test

import data.railyard.kubernetes as k8s

pod := {
	"apiVersion": "v1",
	"kind": "Pod",
	"metadata": {"name": "p", "namespace": "ns", "annotations": {"a": "b"}},
	"spec": {
		"initContainers": [{"name": "init", "image": "busybox:1.36"}],
		"containers": [{"name": "web", "image": "nginx:1.27"}, {"name": "side", "image": "envoy:1.30"}],
		"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}],
		"volumes": [{"name": "data", "emptyDir": {}}],
	},
}

deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "d"},
	"spec": {"template": {
		"metadata": {"labels": {"app": "d"}},
		"spec": {"containers": [{"name": "web", "image": "nginx"}], "volumes": [{"name": "v", "secret": {"secretName": "s"}}]},
	}},
}

cronjob := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {
		"metadata": {"annotations": {"x": "y"}},
		"spec": {
			"restartPolicy": "OnFailure",
			"containers": [{"name": "job", "image": "busybox"}],
			"initContainers": [{"name": "sidecar", "image": "envoy", "restartPolicy": "Always"}],
		},
	}}}},
}

test_workload_kinds if {
	k8s.is_workload(pod)
	k8s.is_workload(deployment)
	k8s.is_workload(cronjob)
	not k8s.is_workload({"kind": "Service"})
	count(data.railyard.kubernetes.workload_kinds) == 8
}

test_pod_spec_paths if {
	k8s.pod_spec_path(pod) == ["spec"]
	k8s.pod_spec_path(deployment) == ["spec", "template", "spec"]
	k8s.pod_spec_path({"kind": "StatefulSet"}) == ["spec", "template", "spec"]
	k8s.pod_spec_path({"kind": "Job"}) == ["spec", "template", "spec"]
	k8s.pod_spec_path(cronjob) == ["spec", "jobTemplate", "spec", "template", "spec"]
	not k8s.pod_spec_path({"kind": "Service"})
}

test_pod_spec if {
	k8s.pod_spec(pod) == pod.spec
	k8s.pod_spec(deployment).containers[0].name == "web"
	k8s.pod_spec(cronjob).restartPolicy == "OnFailure"
	not k8s.pod_spec({"kind": "Deployment", "spec": {}})
	not k8s.pod_spec({"kind": "ConfigMap", "data": {}})
}

test_pod_metadata if {
	k8s.pod_metadata(pod).name == "p"
	k8s.pod_metadata_path(pod) == ["metadata"]
	k8s.pod_metadata(deployment).labels.app == "d"
	k8s.pod_metadata_path(deployment) == ["spec", "template", "metadata"]
	k8s.pod_metadata(cronjob).annotations.x == "y"
	k8s.pod_metadata_path(cronjob) == ["spec", "jobTemplate", "spec", "template", "metadata"]
	k8s.pod_annotations(cronjob) == {"x": "y"}
	k8s.pod_annotations(deployment) == {}
}

test_containers_pod if {
	cs := k8s.containers(pod)
	count(cs) == 4
	{"container": {"name": "web", "image": "nginx:1.27"}, "path": ["spec", "containers", 0], "type": "containers"} in cs
	{"container": {"name": "side", "image": "envoy:1.30"}, "path": ["spec", "containers", 1], "type": "containers"} in cs
	{"container": {"name": "init", "image": "busybox:1.36"}, "path": ["spec", "initContainers", 0], "type": "initContainers"} in cs
	{"container": {"name": "debug", "image": "busybox:1.36"}, "path": ["spec", "ephemeralContainers", 0], "type": "ephemeralContainers"} in cs
}

test_containers_cronjob if {
	paths := {c.path | some c in k8s.containers(cronjob)}
	paths == {
		["spec", "jobTemplate", "spec", "template", "spec", "containers", 0],
		["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0],
	}
}

test_containers_tolerates_null_and_missing if {
	count(k8s.containers({"kind": "Pod", "spec": {"containers": null, "initContainers": []}})) == 0
	count(k8s.containers({"kind": "Service", "spec": {"containers": [{"name": "x"}]}})) == 0
	count(k8s.containers({"kind": "Deployment"})) == 0
}

test_volumes if {
	k8s.volumes(pod) == {{"volume": {"name": "data", "emptyDir": {}}, "path": ["spec", "volumes", 0]}}
	k8s.volumes(deployment) == {{"volume": {"name": "v", "secret": {"secretName": "s"}}, "path": ["spec", "template", "spec", "volumes", 0]}}
	count(k8s.volumes(cronjob)) == 0
}

test_names_and_labels if {
	k8s.name(pod) == "p"
	k8s.name({"kind": "Pod", "metadata": {"generateName": "p-"}}) == "p-"
	k8s.name({"kind": "Pod"}) == "<unnamed>"
	k8s.namespace(pod) == "ns"
	k8s.namespace(deployment) == ""
	k8s.kind(pod) == "Pod"
	k8s.kind({}) == "Object"
	k8s.labels(deployment) == {}
	k8s.labels({"metadata": {"labels": {"a": "b"}}}) == {"a": "b"}
	k8s.resource_label(deployment) == `Deployment "d"`
}

test_container_labels if {
	k8s.container_label({"container": {"name": "web"}, "type": "containers"}) == `container "web"`
	k8s.container_label({"container": {"name": "i"}, "type": "initContainers"}) == `init container "i"`
	k8s.container_label({"container": {"name": "e"}, "type": "ephemeralContainers"}) == `ephemeral container "e"`
	k8s.container_label({"container": {}, "type": "containers"}) == `container "<unnamed>"`
}

test_security_contexts if {
	k8s.pod_security_context({"kind": "Pod", "spec": {"securityContext": {"runAsUser": 1}}}) == {"runAsUser": 1}
	k8s.pod_security_context(pod) == {}
	k8s.pod_security_context_path(cronjob) == ["spec", "jobTemplate", "spec", "template", "spec", "securityContext"]
	k8s.security_context({"container": {"securityContext": {"privileged": true}}}) == {"privileged": true}
	k8s.security_context({"container": {"securityContext": null}}) == {}
}

test_is_windows if {
	k8s.is_windows({"kind": "Pod", "spec": {"os": {"name": "windows"}}})
	not k8s.is_windows(pod)
}

test_is_sidecar if {
	some c in k8s.containers(cronjob)
	c.container.name == "sidecar"
	k8s.is_sidecar(c)
	every d in k8s.containers(pod) {
		not k8s.is_sidecar(d)
	}
}

test_image_tag if {
	k8s.image_tag("nginx") == ""
	k8s.image_tag("nginx:1.27") == "1.27"
	k8s.image_tag("nginx:latest") == "latest"
	k8s.image_tag("registry.local:5000/team/app") == ""
	k8s.image_tag("registry.local:5000/team/app:v2") == "v2"
	k8s.image_tag("nginx@sha256:0123") == ""
	k8s.image_has_digest("nginx:1.27@sha256:0123")
	not k8s.image_has_digest("nginx:1.27")
}
