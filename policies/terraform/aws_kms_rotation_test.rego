package railyard.terraform.aws.kms_rotation_test

import data.railyard.terraform.aws.kms_rotation

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_no_rotation_denied if {
	count(kms_rotation.deny) == 1 with input as plan("aws_kms_key", {"enable_key_rotation": false})
}

test_rotation_passes if {
	count(kms_rotation.deny) == 0 with input as hcl("aws_kms_key", {"enable_key_rotation": true})
}

test_asymmetric_key_passes if {
	count(kms_rotation.deny) == 0 with input as plan("aws_kms_key", {"customer_master_key_spec": "RSA_2048"})
}
