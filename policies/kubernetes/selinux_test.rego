package railyard.kubernetes.selinux_test

import data.railyard.kubernetes.selinux

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

cronjob(spec) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_allowed_selinux_options_pass if {
	count(selinux.deny) == 0 with input as pod({
		"securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c123,c456"}},
		"containers": [
			{"name": "web", "image": "nginx:1.27", "securityContext": {"seLinuxOptions": {"type": "container_init_t", "user": "", "role": ""}}},
			{"name": "side", "image": "envoy:1.30"},
		],
	})
}

test_custom_type_denied if {
	findings := selinux.deny with input as pod({"containers": [{
		"name": "web",
		"image": "nginx:1.27",
		"securityContext": {"seLinuxOptions": {"type": "spc_t"}},
	}]})
	findings == {{
		"msg": `container "web" in Pod "p" sets SELinux type "spc_t"`,
		"path": ["spec", "containers", 0, "securityContext", "seLinuxOptions", "type"],
	}}
}

test_user_and_role_in_cronjob_denied if {
	findings := selinux.deny with input as cronjob({
		"securityContext": {"seLinuxOptions": {"user": "system_u", "role": "system_r"}},
		"containers": [{"name": "job", "image": "busybox:1.36"}],
	})
	findings == {
		{
			"msg": `CronJob "c" sets SELinux user "system_u"`,
			"path": ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "seLinuxOptions", "user"],
		},
		{
			"msg": `CronJob "c" sets SELinux role "system_r"`,
			"path": ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "seLinuxOptions", "role"],
		},
	}
}
