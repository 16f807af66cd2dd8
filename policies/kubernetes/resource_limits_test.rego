package railyard.kubernetes.resource_limits_test

import data.railyard.kubernetes.resource_limits

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_memory_limit_passes if {
	count(resource_limits.warn) == 0 with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"resources": {"limits": {"memory": "256Mi"}},
	}]})
}

test_cpu_limit_only_warned if {
	findings := resource_limits.warn with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"resources": {"limits": {"cpu": "1"}},
	}]})
	findings == {{
		"msg": `container "web" in Pod "p" has no memory limit`,
		"path": ["spec", "containers", 0, "resources", "limits", "memory"],
	}}
}

test_no_limits_in_cronjob_warned if {
	findings := resource_limits.warn with input as cronjob({
		"initContainers": [{"name": "setup", "image": "busybox:1.36", "resources": {"limits": {"memory": "32Mi"}}}],
		"containers": [{"name": "job", "image": "busybox:1.36"}],
	})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "resources", "limits", "memory"]
}
