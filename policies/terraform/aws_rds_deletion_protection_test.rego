package railyard.terraform.aws.rds_deletion_protection_test

import data.railyard.terraform.aws.rds_deletion_protection as dp

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_unprotected_denied if {
	count(dp.deny) == 1 with input as plan("aws_rds_cluster", {"deletion_protection": false})
}

test_protected_passes if {
	count(dp.deny) == 0 with input as hcl("aws_db_instance", {"deletion_protection": true})
}
