package railyard.terraform.google.basic_roles_test

import data.railyard.terraform.google.basic_roles

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_owner_denied if {
	count(basic_roles.deny) == 1 with input as plan("google_project_iam_member", {"role": "roles/owner", "member": "user:a@example.com"})
}

test_predefined_role_passes if {
	count(basic_roles.deny) == 0 with input as hcl("google_project_iam_binding", {"role": "roles/storage.admin"})
}
