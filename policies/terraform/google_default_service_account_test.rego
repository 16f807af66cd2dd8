package railyard.terraform.google.default_service_account_test

import data.railyard.terraform.google.default_service_account as dsa

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_default_account_full_access_denied if {
	count(dsa.deny) == 1 with input as plan("google_compute_instance", {"service_account": [{"email": "123-compute@developer.gserviceaccount.com", "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]})
}

test_dedicated_account_passes if {
	count(dsa.deny) == 0 with input as hcl("google_compute_instance", {"service_account": [{"email": "app@p.iam.gserviceaccount.com", "scopes": ["cloud-platform"]}]})
}
