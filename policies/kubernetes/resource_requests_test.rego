package railyard.kubernetes.resource_requests_test

import data.railyard.kubernetes.resource_requests

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_requests_set_pass if {
	count(resource_requests.warn) == 0 with input as pod({
		"initContainers": [{"name": "setup", "image": "busybox:1.36", "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}],
		"containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}],
		"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}],
	})
}

test_no_requests_warned if {
	findings := resource_requests.warn with input as pod({"containers": [{"name": "web", "image": "nginx:1.27"}]})
	findings == {{
		"msg": `container "web" in Pod "p" has no resource requests`,
		"path": ["spec", "containers", 0, "resources", "requests"],
	}}
}

test_missing_memory_request_in_cronjob_warned if {
	findings := resource_requests.warn with input as cronjob({"containers": [{"name": "job", "image": "busybox:1.36", "resources": {"requests": {"cpu": "1"}}}]})
	findings == {{
		"msg": `container "job" in CronJob "c" has no memory request`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "resources", "requests", "memory"],
	}}
}
