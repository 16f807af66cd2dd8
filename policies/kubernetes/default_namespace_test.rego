package railyard.kubernetes.default_namespace_test

import data.railyard.kubernetes.default_namespace

test_other_or_unset_namespace_passes if {
	count(default_namespace.warn) == 0 with input as {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "shop"}}
	count(default_namespace.warn) == 0 with input as {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}
}

test_default_namespace_warned if {
	findings := default_namespace.warn with input as {
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {"name": "web", "namespace": "default"},
		"spec": {},
	}
	findings == {{"msg": `Deployment "web" is in the default namespace`, "path": ["metadata", "namespace"]}}
}

test_cronjob_in_default_namespace_warned if {
	findings := default_namespace.warn with input as {
		"apiVersion": "batch/v1",
		"kind": "CronJob",
		"metadata": {"name": "c", "namespace": "default"},
		"spec": {"schedule": "@daily"},
	}
	count(findings) == 1
}
