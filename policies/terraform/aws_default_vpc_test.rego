package railyard.terraform.aws.default_vpc_test

import data.railyard.terraform.aws.default_vpc

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_default_vpc_denied if {
	count(default_vpc.deny) == 1 with input as plan("aws_default_vpc", {})
}

test_own_vpc_passes if {
	count(default_vpc.deny) == 0 with input as hcl("aws_vpc", {"cidr_block": "10.0.0.0/16"})
}
