package railyard.kubernetes.mutable_image_tag_test

import data.railyard.kubernetes.mutable_image_tag

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

image(img) := {"name": "web", "image": img}

test_pinned_images_pass if {
	count(mutable_image_tag.deny) == 0 with input as pod({"containers": [
		image("nginx:1.27.3"),
		image("registry.local:5000/team/app:v2"),
		image("nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac"),
		image("nginx:latest@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac"),
	]})
}

test_latest_tag_denied if {
	findings := mutable_image_tag.deny with input as pod({"containers": [image("nginx:latest")]})
	findings == {{
		"msg": `container "web" in Pod "p" uses image "nginx:latest" with the mutable tag latest`,
		"path": ["spec", "containers", 0, "image"],
	}}
}

test_missing_tag_denied if {
	findings := mutable_image_tag.deny with input as pod({"containers": [image("registry.local:5000/team/app")]})
	findings == {{
		"msg": `container "web" in Pod "p" uses image "registry.local:5000/team/app" with no tag (implicitly latest)`,
		"path": ["spec", "containers", 0, "image"],
	}}
}

test_untagged_init_container_in_cronjob_denied if {
	findings := mutable_image_tag.deny with input as cronjob({
		"initContainers": [{"name": "setup", "image": "busybox"}],
		"containers": [{"name": "job", "image": "busybox:1.36"}],
	})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "image"]
}
