package railyard.kubernetes.host_namespaces_test

import data.railyard.kubernetes.host_namespaces

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

daemonset(spec) := {
	"apiVersion": "apps/v1",
	"kind": "DaemonSet",
	"metadata": {"name": "d"},
	"spec": {"template": {"spec": spec}},
}

containers := [{"name": "web", "image": "nginx:1.27"}]

test_no_host_namespaces_passes if {
	count(host_namespaces.deny) == 0 with input as pod({"containers": containers})
	count(host_namespaces.deny) == 0 with input as pod({"containers": containers, "hostNetwork": false, "hostPID": false, "hostIPC": false})
}

test_host_network_denied if {
	findings := host_namespaces.deny with input as pod({"containers": containers, "hostNetwork": true})
	findings == {{
		"msg": `Pod "p" shares the host network namespace (hostNetwork: true)`,
		"path": ["spec", "hostNetwork"],
	}}
}

test_all_host_namespaces_in_daemonset_denied if {
	findings := host_namespaces.deny with input as daemonset({"containers": containers, "hostNetwork": true, "hostPID": true, "hostIPC": true})
	{f.path | some f in findings} == {
		["spec", "template", "spec", "hostNetwork"],
		["spec", "template", "spec", "hostPID"],
		["spec", "template", "spec", "hostIPC"],
	}
}

test_host_pid_in_cronjob_denied if {
	findings := host_namespaces.deny with input as cronjob({"containers": containers, "hostPID": true})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "hostPID"]
	f.msg == `CronJob "c" shares the host PID namespace (hostPID: true)`
}
