package railyard.kubernetes.run_as_non_root_test

import data.railyard.kubernetes.run_as_non_root

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_pod_level_non_root_passes if {
	count(run_as_non_root.deny) == 0 with input as pod({
		"securityContext": {"runAsNonRoot": true},
		"initContainers": [{"name": "setup", "image": "busybox:1.36"}],
		"containers": [{"name": "web", "image": "nginx:1.27"}],
	})
}

test_container_level_non_root_passes if {
	count(run_as_non_root.deny) == 0 with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"runAsNonRoot": true}},
		{"name": "side", "image": "envoy:1.30", "securityContext": {"runAsNonRoot": true}},
	]})
}

test_unset_everywhere_denied_once_at_pod_level if {
	findings := run_as_non_root.deny with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27"},
		{"name": "side", "image": "envoy:1.30"},
	]})
	findings == {{
		"msg": `Pod "p" does not set runAsNonRoot to true (at the pod level or in its containers)`,
		"path": ["spec", "securityContext", "runAsNonRoot"],
	}}
}

test_unset_in_one_container_denied if {
	findings := run_as_non_root.deny with input as cronjob({"containers": [
		{"name": "job", "image": "busybox:1.36", "securityContext": {"runAsNonRoot": true}},
		{"name": "side", "image": "envoy:1.30"},
	]})
	findings == {{
		"msg": `container "side" in CronJob "c" does not set runAsNonRoot to true (nor does the pod)`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 1, "securityContext", "runAsNonRoot"],
	}}
}

test_container_false_overrides_pod_true_denied if {
	findings := run_as_non_root.deny with input as pod({
		"securityContext": {"runAsNonRoot": true},
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"runAsNonRoot": false}}],
	})
	findings == {{
		"msg": `container "web" in Pod "p" sets runAsNonRoot to false`,
		"path": ["spec", "containers", 0, "securityContext", "runAsNonRoot"],
	}}
}

test_pod_false_denied if {
	findings := run_as_non_root.deny with input as cronjob({
		"securityContext": {"runAsNonRoot": false},
		"containers": [{"name": "job", "image": "busybox:1.36"}],
	})
	findings == {{
		"msg": `CronJob "c" sets runAsNonRoot to false at the pod level`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "runAsNonRoot"],
	}}
}
