package railyard.terraform.aws.sg_all_ports_open_test

import data.railyard.terraform.aws.sg_all_ports_open

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_all_protocols_denied if {
	count(sg_all_ports_open.deny) == 1 with input as plan("aws_security_group", {"ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}]})
}

test_full_port_range_denied if {
	count(sg_all_ports_open.deny) == 1 with input as hcl("aws_security_group_rule", {"type": "ingress", "from_port": 0, "to_port": 65535, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]})
}

test_single_port_passes if {
	count(sg_all_ports_open.deny) == 0 with input as plan("aws_security_group", {"ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
}

test_egress_rule_passes if {
	count(sg_all_ports_open.deny) == 0 with input as plan("aws_security_group_rule", {"type": "egress", "from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]})
}
