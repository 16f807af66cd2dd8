package railyard.kubernetes.capabilities_restricted_test

import data.railyard.kubernetes.capabilities_restricted

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

with_caps(name, caps) := {"name": name, "image": "nginx:1.27", "securityContext": {"capabilities": caps}}

test_drop_all_passes if {
	count(capabilities_restricted.deny) == 0 with input as pod({
		"initContainers": [with_caps("setup", {"drop": ["ALL"]})],
		"containers": [with_caps("web", {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})],
	})
}

test_windows_pod_exempt if {
	count(capabilities_restricted.deny) == 0 with input as pod({"os": {"name": "windows"}, "containers": [{"name": "web", "image": "iis:2022"}]})
}

test_missing_drop_denied if {
	findings := capabilities_restricted.deny with input as pod({"containers": [
		with_caps("web", {"drop": ["ALL"]}),
		with_caps("side", {"drop": ["NET_RAW"]}),
	]})
	findings == {{
		"msg": `container "side" in Pod "p" does not drop ALL capabilities`,
		"path": ["spec", "containers", 1, "securityContext", "capabilities", "drop"],
	}}
}

test_added_baseline_capability_in_cronjob_denied if {
	findings := capabilities_restricted.deny with input as cronjob({"containers": [with_caps("job", {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CHOWN", "SYS_ADMIN"]})]})
	findings == {{
		"msg": `container "job" in CronJob "c" adds capability CHOWN; the restricted profile allows only NET_BIND_SERVICE`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "capabilities", "add", 1],
	}}
}

test_no_security_context_denied if {
	findings := capabilities_restricted.deny with input as pod({"containers": [{"name": "web", "image": "nginx:1.27"}]})
	{f.path | some f in findings} == {["spec", "containers", 0, "securityContext", "capabilities", "drop"]}
}
