package railyard.kubernetes.automount_service_account_token_test

import data.railyard.kubernetes.automount_service_account_token

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

containers := [{"name": "web", "image": "nginx:1.27"}]

test_disabled_token_passes if {
	count(automount_service_account_token.warn) == 0 with input as pod({"automountServiceAccountToken": false, "containers": containers})
}

test_default_token_warned if {
	findings := automount_service_account_token.warn with input as pod({"containers": containers})
	findings == {{
		"msg": `Pod "p" does not set automountServiceAccountToken to false`,
		"path": ["spec", "automountServiceAccountToken"],
	}}
}

test_enabled_token_in_cronjob_warned if {
	findings := automount_service_account_token.warn with input as cronjob({"automountServiceAccountToken": true, "containers": containers})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "automountServiceAccountToken"]
}

test_non_workload_ignored if {
	count(automount_service_account_token.warn) == 0 with input as {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa"}}
}
