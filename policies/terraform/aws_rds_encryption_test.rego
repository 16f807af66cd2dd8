package railyard.terraform.aws.rds_encryption_test

import data.railyard.terraform.aws.rds_encryption

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_unencrypted_instance_denied if {
	count(rds_encryption.deny) == 1 with input as plan("aws_db_instance", {"storage_encrypted": false})
}

test_encrypted_cluster_passes if {
	count(rds_encryption.deny) == 0 with input as plan("aws_rds_cluster", {"storage_encrypted": true})
}

test_missing_in_hcl_denied if {
	count(rds_encryption.deny) == 1 with input as hcl("aws_db_instance", {"engine": "postgres"})
}

test_unknown_in_plan_passes if {
	p := {"format_version": "1.2", "resource_changes": [{"address": "aws_db_instance.r", "mode": "managed", "type": "aws_db_instance", "name": "r",
		"change": {"actions": ["create"], "after": {}, "after_unknown": {"storage_encrypted": true}}}]}
	count(rds_encryption.deny) == 0 with input as p
}
