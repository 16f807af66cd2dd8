package railyard.terraform.aws.sg_rdp_open_test

import data.railyard.terraform.aws.sg_rdp_open

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_rdp_from_anywhere_denied if {
	count(sg_rdp_open.deny) == 1 with input as plan("aws_security_group", {"ingress": [{"from_port": 3389, "to_port": 3389, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
}

test_rdp_from_private_network_passes if {
	count(sg_rdp_open.deny) == 0 with input as plan("aws_security_group", {"ingress": [{"from_port": 3389, "to_port": 3389, "protocol": "tcp", "cidr_blocks": ["192.168.0.0/16"]}]})
}
