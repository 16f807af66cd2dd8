package railyard.terraform.google.storage_uniform_access_test

import data.railyard.terraform.google.storage_uniform_access as ua

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_fine_grained_acls_denied if {
	count(ua.deny) == 1 with input as plan("google_storage_bucket", {"uniform_bucket_level_access": false})
}

test_uniform_access_passes if {
	count(ua.deny) == 0 with input as hcl("google_storage_bucket", {"uniform_bucket_level_access": true})
}
