package railyard.kubernetes.sysctls_test

import data.railyard.kubernetes.sysctls

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

containers := [{"name": "web", "image": "nginx:1.27"}]

test_safe_sysctls_pass if {
	count(sysctls.deny) == 0 with input as pod({"containers": containers, "securityContext": {"sysctls": [
		{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"},
		{"name": "kernel.shm_rmid_forced", "value": "1"},
	]}})
	count(sysctls.deny) == 0 with input as pod({"containers": containers, "securityContext": {"sysctls": null}})
}

test_unsafe_sysctl_denied if {
	findings := sysctls.deny with input as pod({"containers": containers, "securityContext": {"sysctls": [
		{"name": "net.ipv4.tcp_syncookies", "value": "1"},
		{"name": "kernel.msgmax", "value": "65536"},
	]}})
	findings == {{
		"msg": `Pod "p" sets unsafe sysctl kernel.msgmax`,
		"path": ["spec", "securityContext", "sysctls", 1, "name"],
	}}
}

test_unsafe_sysctl_in_cronjob_denied if {
	findings := sysctls.deny with input as cronjob({"containers": containers, "securityContext": {"sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]}})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "sysctls", 0, "name"]
}
