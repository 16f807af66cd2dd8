package railyard.kubernetes.privilege_escalation_test

import data.railyard.kubernetes.privilege_escalation

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_disallowed_escalation_passes if {
	count(privilege_escalation.deny) == 0 with input as pod({
		"initContainers": [{"name": "setup", "image": "busybox:1.36", "securityContext": {"allowPrivilegeEscalation": false}}],
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"allowPrivilegeEscalation": false}}],
	})
}

test_windows_pod_exempt if {
	count(privilege_escalation.deny) == 0 with input as pod({"os": {"name": "windows"}, "containers": [{"name": "web", "image": "iis:2022"}]})
}

test_unset_escalation_denied if {
	findings := privilege_escalation.deny with input as pod({"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"allowPrivilegeEscalation": false}},
		{"name": "side", "image": "envoy:1.30"},
	]})
	findings == {{
		"msg": `container "side" in Pod "p" does not set allowPrivilegeEscalation to false`,
		"path": ["spec", "containers", 1, "securityContext", "allowPrivilegeEscalation"],
	}}
}

test_true_escalation_in_cronjob_denied if {
	findings := privilege_escalation.deny with input as cronjob({"containers": [{
		"name": "job",
		"image": "busybox:1.36",
		"securityContext": {"allowPrivilegeEscalation": true},
	}]})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"]
}
