package railyard.terraform.google.storage_public_test

import data.railyard.terraform.google.storage_public

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_all_users_member_denied if {
	count(storage_public.deny) == 1 with input as plan("google_storage_bucket_iam_member", {"member": "allUsers", "role": "roles/storage.objectViewer"})
}

test_binding_with_authenticated_users_denied if {
	count(storage_public.deny) == 1 with input as hcl("google_storage_bucket_iam_binding", {"members": ["user:a@example.com", "allAuthenticatedUsers"]})
}

test_named_member_passes if {
	count(storage_public.deny) == 0 with input as plan("google_storage_bucket_iam_member", {"member": "group:ops@example.com"})
}
