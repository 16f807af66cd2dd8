package railyard.cloudformation.sg_open_test

import data.railyard.cloudformation.sg_all_ports_open
import data.railyard.cloudformation.sg_rdp_open
import data.railyard.cloudformation.sg_ssh_open

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

sg(rules) := tpl("AWS::EC2::SecurityGroup", {"GroupDescription": "x", "SecurityGroupIngress": rules})

test_ssh_open_denied if {
	findings := sg_ssh_open.deny with input as sg([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}])
	{f.path | some f in findings} == {["Resources", "R", "Properties", "SecurityGroupIngress", 0, "CidrIp"]}
}

test_ssh_from_private_passes if {
	count(sg_ssh_open.deny) == 0 with input as sg([{"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "10.0.0.0/8"}])
}

test_rdp_ingress_resource_denied if {
	count(sg_rdp_open.deny) == 1 with input as tpl("AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": "3389", "ToPort": "3389", "CidrIp": "0.0.0.0/0"})
}

test_all_protocols_denied if {
	count(sg_all_ports_open.deny) == 1 with input as sg([{"IpProtocol": "-1", "CidrIpv6": "::/0"}])
}

test_https_passes_all_three if {
	rules := [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]
	count(sg_all_ports_open.deny) == 0 with input as sg(rules)
	count(sg_ssh_open.deny) == 0 with input as sg(rules)
	count(sg_rdp_open.deny) == 0 with input as sg(rules)
}
