package railyard.kubernetes.proc_mount_test

import data.railyard.kubernetes.proc_mount

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_default_proc_mount_passes if {
	count(proc_mount.deny) == 0 with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"procMount": "Default"}},
		{"name": "side", "image": "envoy:1.30"},
	]})
}

test_unmasked_proc_mount_denied if {
	findings := proc_mount.deny with input as pod({"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"procMount": "Unmasked"}}]})
	findings == {{
		"msg": `container "web" in Pod "p" sets procMount to Unmasked`,
		"path": ["spec", "containers", 0, "securityContext", "procMount"],
	}}
}

test_unmasked_proc_mount_in_cronjob_denied if {
	findings := proc_mount.deny with input as cronjob({"containers": [{"name": "job", "image": "busybox:1.36", "securityContext": {"procMount": "Unmasked"}}]})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "procMount"]
}
