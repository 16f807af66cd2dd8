package railyard.kubernetes.run_as_user_root_test

import data.railyard.kubernetes.run_as_user_root

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_non_zero_uid_passes if {
	count(run_as_user_root.deny) == 0 with input as pod({
		"securityContext": {"runAsUser": 10001},
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"runAsUser": 101}}, {"name": "side", "image": "envoy:1.30"}],
	})
}

test_pod_uid_zero_denied if {
	findings := run_as_user_root.deny with input as pod({
		"securityContext": {"runAsUser": 0},
		"containers": [{"name": "web", "image": "nginx:1.27"}],
	})
	findings == {{
		"msg": `Pod "p" runs as root (runAsUser: 0 at the pod level)`,
		"path": ["spec", "securityContext", "runAsUser"],
	}}
}

test_container_uid_zero_in_cronjob_denied if {
	findings := run_as_user_root.deny with input as cronjob({
		"securityContext": {"runAsUser": 1000},
		"initContainers": [{"name": "chown", "image": "busybox:1.36", "securityContext": {"runAsUser": 0}}],
		"containers": [{"name": "job", "image": "busybox:1.36"}],
	})
	findings == {{
		"msg": `init container "chown" in CronJob "c" runs as root (runAsUser: 0)`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "runAsUser"],
	}}
}
