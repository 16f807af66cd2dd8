package railyard.kubernetes.privileged_test

import data.railyard.kubernetes.privileged

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_unprivileged_pod_passes if {
	count(privileged.deny) == 0 with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"privileged": false}},
		{"name": "side", "image": "envoy:1.30"},
	]})
}

test_privileged_container_denied if {
	findings := privileged.deny with input as pod({"containers": [
		{"name": "ok", "image": "nginx:1.27"},
		{"name": "web", "image": "nginx:1.27", "securityContext": {"privileged": true}},
	]})
	findings == {{
		"msg": `container "web" in Pod "p" is privileged`,
		"path": ["spec", "containers", 1, "securityContext", "privileged"],
	}}
}

test_privileged_init_container_in_cronjob_denied if {
	findings := privileged.deny with input as cronjob({
		"initContainers": [{"name": "setup", "image": "busybox:1.36", "securityContext": {"privileged": true}}],
		"containers": [{"name": "job", "image": "busybox:1.36"}],
	})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "privileged"]
	f.msg == `init container "setup" in CronJob "c" is privileged`
}

test_privileged_ephemeral_container_denied if {
	findings := privileged.deny with input as pod({
		"containers": [{"name": "web", "image": "nginx:1.27"}],
		"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36", "securityContext": {"privileged": true}}],
	})
	{f.path | some f in findings} == {["spec", "ephemeralContainers", 0, "securityContext", "privileged"]}
}

test_non_workload_ignored if {
	count(privileged.deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"privileged": "true"}}
}
