package railyard.kubernetes.host_ports_test

import data.railyard.kubernetes.host_ports

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_container_ports_pass if {
	count(host_ports.deny) == 0 with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 0}],
	}]})
}

test_null_ports_pass if {
	count(host_ports.deny) == 0 with input as pod({"containers": [{"name": "web", "image": "nginx:1.27", "ports": null}]})
}

test_host_port_denied if {
	findings := host_ports.deny with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 8443}],
	}]})
	findings == {{
		"msg": `container "web" in Pod "p" uses host port 8443`,
		"path": ["spec", "containers", 0, "ports", 1, "hostPort"],
	}}
}

test_host_port_in_cronjob_denied if {
	findings := host_ports.deny with input as cronjob({"containers": [{
		"name": "job",
		"image": "busybox:1.36",
		"ports": [{"containerPort": 9000, "hostPort": 9000}],
	}]})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "ports", 0, "hostPort"]
}
