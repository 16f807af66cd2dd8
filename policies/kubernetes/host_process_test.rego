package railyard.kubernetes.host_process_test

import data.railyard.kubernetes.host_process

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_no_host_process_passes if {
	count(host_process.deny) == 0 with input as pod({
		"securityContext": {"windowsOptions": {"hostProcess": false, "runAsUserName": "ContainerUser"}},
		"containers": [{"name": "web", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022"}],
	})
}

test_host_process_pod_denied if {
	findings := host_process.deny with input as pod({
		"hostNetwork": true,
		"securityContext": {"windowsOptions": {"hostProcess": true}},
		"containers": [{"name": "web", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022"}],
	})
	findings == {{
		"msg": `Pod "p" runs Windows HostProcess containers (pod-level hostProcess: true)`,
		"path": ["spec", "securityContext", "windowsOptions", "hostProcess"],
	}}
}

test_host_process_container_in_cronjob_denied if {
	findings := host_process.deny with input as cronjob({"containers": [{
		"name": "job",
		"image": "mcr.microsoft.com/windows/nanoserver:ltsc2022",
		"securityContext": {"windowsOptions": {"hostProcess": true}},
	}]})
	findings == {{
		"msg": `container "job" in CronJob "c" is a Windows HostProcess container`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "windowsOptions", "hostProcess"],
	}}
}
