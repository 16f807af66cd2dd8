package railyard.kubernetes.capabilities_baseline_test

import data.railyard.kubernetes.capabilities_baseline

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

with_caps(caps) := {"name": "web", "image": "nginx:1.27", "securityContext": {"capabilities": caps}}

test_default_capabilities_pass if {
	count(capabilities_baseline.deny) == 0 with input as pod({"containers": [
		with_caps({"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CHOWN", "SETUID"]}),
		{"name": "plain", "image": "nginx:1.27"},
	]})
}

test_sys_admin_denied if {
	findings := capabilities_baseline.deny with input as pod({"containers": [with_caps({"add": ["CHOWN", "SYS_ADMIN"]})]})
	findings == {{
		"msg": `container "web" in Pod "p" adds capability SYS_ADMIN, which the baseline profile does not allow`,
		"path": ["spec", "containers", 0, "securityContext", "capabilities", "add", 1],
	}}
}

test_net_raw_in_cronjob_denied if {
	findings := capabilities_baseline.deny with input as cronjob({"initContainers": [{
		"name": "setup",
		"image": "busybox:1.36",
		"securityContext": {"capabilities": {"add": ["NET_RAW", "NET_ADMIN"]}},
	}]})
	{f.path | some f in findings} == {
		["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "capabilities", "add", 0],
		["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "capabilities", "add", 1],
	}
}
