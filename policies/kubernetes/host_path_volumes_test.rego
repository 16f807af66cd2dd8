package railyard.kubernetes.host_path_volumes_test

import data.railyard.kubernetes.host_path_volumes

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

containers := [{"name": "web", "image": "nginx:1.27"}]

test_safe_volumes_pass if {
	count(host_path_volumes.deny) == 0 with input as pod({
		"containers": containers,
		"volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "cfg"}}],
	})
}

test_host_path_denied if {
	findings := host_path_volumes.deny with input as pod({
		"containers": containers,
		"volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}],
	})
	findings == {{
		"msg": `volume "docker" in Pod "p" mounts the host path "/var/run/docker.sock"`,
		"path": ["spec", "volumes", 1, "hostPath"],
	}}
}

test_host_path_in_cronjob_denied if {
	findings := host_path_volumes.deny with input as cronjob({
		"containers": containers,
		"volumes": [{"name": "root", "hostPath": {"path": "/", "type": "Directory"}}],
	})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "volumes", 0, "hostPath"]
}
