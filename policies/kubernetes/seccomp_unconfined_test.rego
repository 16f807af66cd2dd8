package railyard.kubernetes.seccomp_unconfined_test

import data.railyard.kubernetes.seccomp_unconfined

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_runtime_default_and_unset_pass if {
	count(seccomp_unconfined.deny) == 0 with input as pod({
		"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [
			{"name": "web", "image": "nginx:1.27", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}},
			{"name": "side", "image": "envoy:1.30"},
		],
	})
	count(seccomp_unconfined.deny) == 0 with input as pod({"containers": [{"name": "web", "image": "nginx:1.27"}]})
}

test_unconfined_pod_denied if {
	findings := seccomp_unconfined.deny with input as pod({
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [{"name": "web", "image": "nginx:1.27"}],
	})
	findings == {{
		"msg": `Pod "p" sets seccomp profile Unconfined at the pod level`,
		"path": ["spec", "securityContext", "seccompProfile", "type"],
	}}
}

test_unconfined_container_in_cronjob_denied if {
	findings := seccomp_unconfined.deny with input as cronjob({
		"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [{"name": "job", "image": "busybox:1.36", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}],
	})
	findings == {{
		"msg": `container "job" in CronJob "c" sets seccomp profile Unconfined`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "seccompProfile", "type"],
	}}
}

test_legacy_annotation_denied if {
	findings := seccomp_unconfined.deny with input as {
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {"name": "d"},
		"spec": {"template": {
			"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}},
			"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
		}},
	}
	{f.path | some f in findings} == {["spec", "template", "metadata", "annotations", "seccomp.security.alpha.kubernetes.io/pod"]}
}
