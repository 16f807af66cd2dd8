package railyard.terraform.aws.sg_ssh_open_test

import data.railyard.terraform.aws.sg_ssh_open

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_ssh_from_anywhere_denied if {
	findings := sg_ssh_open.deny with input as plan("aws_security_group", {"ingress": [
		{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
	]})
	{f.path | some f in findings} == {["resource_changes", 0, "change", "after", "ingress", 1, "cidr_blocks"]}
}

test_ssh_from_office_passes if {
	count(sg_ssh_open.deny) == 0 with input as plan("aws_security_group", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]})
}

test_rule_resource_range_denied if {
	count(sg_ssh_open.deny) == 1 with input as plan("aws_security_group_rule", {"type": "ingress", "from_port": 0, "to_port": 1024, "protocol": "tcp", "ipv6_cidr_blocks": ["::/0"]})
}

test_vpc_ingress_rule_denied_in_hcl if {
	count(sg_ssh_open.deny) == 1 with input as hcl("aws_vpc_security_group_ingress_rule", {"cidr_ipv4": "0.0.0.0/0", "from_port": 22, "to_port": 22, "ip_protocol": "tcp"})
}

test_unknown_cidr_passes if {
	count(sg_ssh_open.deny) == 0 with input as hcl("aws_security_group_rule", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": "${var.cidrs}"})
}
