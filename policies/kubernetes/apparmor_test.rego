package railyard.kubernetes.apparmor_test

import data.railyard.kubernetes.apparmor

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

deployment(annotations, spec) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "d"},
	"spec": {"template": {"metadata": {"annotations": annotations}, "spec": spec}},
}

containers := [{"name": "web", "image": "nginx:1.27"}]

test_allowed_profiles_pass if {
	count(apparmor.deny) == 0 with input as deployment(
		{
			"container.apparmor.security.beta.kubernetes.io/web": "runtime/default",
			"container.apparmor.security.beta.kubernetes.io/side": "localhost/my-profile",
			"other": "unconfined",
		},
		{"containers": containers, "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}},
	)
	count(apparmor.deny) == 0 with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-nginx"}},
	}]})
}

test_unconfined_annotation_denied if {
	findings := apparmor.deny with input as deployment(
		{"container.apparmor.security.beta.kubernetes.io/web": "unconfined"},
		{"containers": containers},
	)
	findings == {{
		"msg": `Deployment "d" sets AppArmor profile "unconfined" for container "web"`,
		"path": ["spec", "template", "metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/web"],
	}}
}

test_unconfined_pod_field_in_cronjob_denied if {
	findings := apparmor.deny with input as cronjob({"containers": containers, "securityContext": {"appArmorProfile": {"type": "Unconfined"}}})
	findings == {{
		"msg": `CronJob "c" sets AppArmor profile type Unconfined at the pod level`,
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "appArmorProfile", "type"],
	}}
}

test_unconfined_container_field_denied if {
	findings := apparmor.deny with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
	}]})
	count(findings) == 1
	some f in findings
	f.path == ["spec", "containers", 0, "securityContext", "appArmorProfile", "type"]
}

test_bare_pod_annotation_denied if {
	findings := apparmor.deny with input as {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "p", "annotations": {"container.apparmor.security.beta.kubernetes.io/web": "unconfined"}},
		"spec": {"containers": containers},
	}
	{f.path | some f in findings} == {["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/web"]}
}
