package railyard.kubernetes.seccomp_required_test

import data.railyard.kubernetes.seccomp_required

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_pod_level_profile_passes if {
	count(seccomp_required.deny) == 0 with input as pod({
		"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [{"name": "web", "image": "nginx:1.27"}, {"name": "side", "image": "envoy:1.30"}],
	})
}

test_container_level_profiles_pass if {
	count(seccomp_required.deny) == 0 with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
		{"name": "side", "image": "envoy:1.30", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "envoy.json"}}},
	]})
}

test_windows_pod_exempt if {
	count(seccomp_required.deny) == 0 with input as pod({"os": {"name": "windows"}, "containers": [{"name": "web", "image": "iis:2022"}]})
}

test_no_profile_denied_once_at_pod_level if {
	findings := seccomp_required.deny with input as cronjob({"containers": [{"name": "job", "image": "busybox:1.36"}]})
	findings == {{
		"msg": `CronJob "c" does not set a seccomp profile (at the pod level or in its containers)`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "seccompProfile", "type"],
	}}
}

test_missing_in_one_container_denied if {
	findings := seccomp_required.deny with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
		{"name": "side", "image": "envoy:1.30"},
	]})
	findings == {{
		"msg": `container "side" in Pod "p" does not set a seccomp profile (nor does the pod)`,
		"path": ["spec", "containers", 1, "securityContext", "seccompProfile", "type"],
	}}
}
