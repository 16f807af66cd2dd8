package railyard.kubernetes.recommended_labels_test

import data.railyard.kubernetes.recommended_labels

test_labelled_object_passes if {
	count(recommended_labels.warn) == 0 with input as {
		"apiVersion": "v1",
		"kind": "Service",
		"metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-prod"}},
	}
}

test_missing_label_warned if {
	findings := recommended_labels.warn with input as {
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {"name": "web", "labels": {"app": "web"}},
	}
	findings == {{
		"msg": `Deployment "web" has no app.kubernetes.io/name label`,
		"path": ["metadata", "labels", "app.kubernetes.io/name"],
	}}
}

test_no_labels_on_cronjob_warned if {
	findings := recommended_labels.warn with input as {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}}
	{f.path | some f in findings} == {["metadata", "labels", "app.kubernetes.io/name"]}
}
