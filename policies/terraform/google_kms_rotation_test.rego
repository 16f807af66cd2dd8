package railyard.terraform.google.kms_rotation_test

import data.railyard.terraform.google.kms_rotation

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_no_rotation_denied if {
	count(kms_rotation.deny) == 1 with input as hcl("google_kms_crypto_key", {"name": "k"})
}

test_yearly_rotation_denied if {
	count(kms_rotation.deny) == 1 with input as plan("google_kms_crypto_key", {"rotation_period": "31536000s"})
}

test_90_days_passes if {
	count(kms_rotation.deny) == 0 with input as plan("google_kms_crypto_key", {"rotation_period": "7776000s"})
}
