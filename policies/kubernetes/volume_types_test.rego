package railyard.kubernetes.volume_types_test

import data.railyard.kubernetes.volume_types

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

containers := [{"name": "web", "image": "nginx:1.27"}]

test_allowed_volume_types_pass if {
	count(volume_types.deny) == 0 with input as pod({"containers": containers, "volumes": [
		{"name": "a", "configMap": {"name": "cfg"}},
		{"name": "b", "csi": {"driver": "secrets-store.csi.k8s.io"}},
		{"name": "c", "downwardAPI": {"items": []}},
		{"name": "d", "emptyDir": {}},
		{"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
		{"name": "f", "persistentVolumeClaim": {"claimName": "data"}},
		{"name": "g", "projected": {"sources": []}},
		{"name": "h", "secret": {"secretName": "s"}},
	]})
}

test_host_path_left_to_its_own_rule if {
	count(volume_types.deny) == 0 with input as pod({"containers": containers, "volumes": [{"name": "h", "hostPath": {"path": "/"}}]})
}

test_nfs_volume_denied if {
	findings := volume_types.deny with input as pod({"containers": containers, "volumes": [
		{"name": "tmp", "emptyDir": {}},
		{"name": "share", "nfs": {"server": "nfs.local", "path": "/exports"}},
	]})
	findings == {{
		"msg": `volume "share" in Pod "p" has type nfs, which the restricted profile does not allow`,
		"path": ["spec", "volumes", 1, "nfs"],
	}}
}

test_git_repo_volume_in_cronjob_denied if {
	findings := volume_types.deny with input as cronjob({"containers": containers, "volumes": [{"name": "src", "gitRepo": {"repository": "https://example.com/r.git"}}]})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "volumes", 0, "gitRepo"]
}
