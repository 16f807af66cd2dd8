package railyard.terraform.aws.ebs_encryption_test

import data.railyard.terraform.aws.ebs_encryption

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_unencrypted_volume_denied if {
	count(ebs_encryption.deny) == 1 with input as plan("aws_ebs_volume", {"size": 10, "encrypted": false})
}

test_encrypted_volume_passes if {
	count(ebs_encryption.deny) == 0 with input as hcl("aws_ebs_volume", {"encrypted": true})
}

test_unencrypted_root_device_denied if {
	count(ebs_encryption.deny) == 1 with input as plan("aws_instance", {"root_block_device": [{"encrypted": false}]})
}
