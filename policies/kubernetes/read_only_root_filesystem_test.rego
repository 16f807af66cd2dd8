package railyard.kubernetes.read_only_root_filesystem_test

import data.railyard.kubernetes.read_only_root_filesystem

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_read_only_passes if {
	count(read_only_root_filesystem.warn) == 0 with input as pod({
		"initContainers": [{"name": "setup", "image": "busybox:1.36", "securityContext": {"readOnlyRootFilesystem": true}}],
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"readOnlyRootFilesystem": true}}],
		"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}],
	})
}

test_writable_root_warned if {
	findings := read_only_root_filesystem.warn with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"securityContext": {"readOnlyRootFilesystem": false},
	}]})
	findings == {{
		"msg": `container "web" in Pod "p" does not set readOnlyRootFilesystem to true`,
		"path": ["spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"],
	}}
}

test_unset_in_cronjob_warned if {
	findings := read_only_root_filesystem.warn with input as cronjob({"containers": [{"name": "job", "image": "busybox:1.36"}]})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"]
}
