package railyard.terraform.aws.rds_public_test

import data.railyard.terraform.aws.rds_public

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_public_instance_denied if {
	count(rds_public.deny) == 1 with input as plan("aws_db_instance", {"publicly_accessible": true})
}

test_private_instance_passes if {
	count(rds_public.deny) == 0 with input as hcl("aws_rds_cluster_instance", {"publicly_accessible": false})
}
