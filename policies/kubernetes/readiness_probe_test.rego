package railyard.kubernetes.readiness_probe_test

import data.railyard.kubernetes.readiness_probe

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

deployment(spec) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "d"},
	"spec": {"template": {"spec": spec}},
}

probe := {"httpGet": {"path": "/healthz", "port": 8080}}

test_probe_set_passes if {
	count(readiness_probe.warn) == 0 with input as deployment({
		"initContainers": [{"name": "setup", "image": "busybox:1.36"}],
		"containers": [{"name": "web", "image": "nginx:1.27", "readinessProbe": probe}],
	})
}

test_missing_probe_warned if {
	findings := readiness_probe.warn with input as deployment({"containers": [
		{"name": "web", "image": "nginx:1.27", "readinessProbe": probe},
		{"name": "side", "image": "envoy:1.30"},
	]})
	findings == {{
		"msg": `container "side" in Deployment "d" has no readiness probe`,
		"path": ["spec", "template", "spec", "containers", 1, "readinessProbe"],
	}}
}

test_long_running_pod_warned if {
	findings := readiness_probe.warn with input as pod({"restartPolicy": "Always", "containers": [{"name": "web", "image": "nginx:1.27"}]})
	{f.path | some f in findings} == {["spec", "containers", 0, "readinessProbe"]}
}

test_batch_workloads_ignored if {
	count(readiness_probe.warn) == 0 with input as cronjob({"containers": [{"name": "job", "image": "busybox:1.36"}]})
	count(readiness_probe.warn) == 0 with input as {
		"apiVersion": "batch/v1",
		"kind": "Job",
		"metadata": {"name": "j"},
		"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "job", "image": "busybox:1.36"}]}}},
	}
	count(readiness_probe.warn) == 0 with input as pod({"restartPolicy": "Never", "containers": [{"name": "once", "image": "busybox:1.36"}]})
}
