package railyard.arm.nsg_open_test

import data.railyard.arm.nsg_open

tpl(type, props) := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": type, "apiVersion": "2023-01-01", "name": "n", "location": "westeurope", "properties": props}]}

rule(port, source) := {"name": "r", "properties": {"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": source, "destinationPortRange": port}}

test_ssh_open_denied if {
	findings := nsg_open.deny with input as tpl("Microsoft.Network/networkSecurityGroups", {"securityRules": [rule("443", "*"), rule("22", "Internet")]})
	{f.path | some f in findings} == {["resources", 0, "properties", "securityRules", 1, "properties"]}
}

test_child_rule_all_ports_denied if {
	t := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg", "resources": [
		{"type": "securityRules", "name": "all", "properties": rule("*", "0.0.0.0/0").properties},
	]}]}
	count(nsg_open.deny) == 1 with input as t
}

test_private_source_passes if {
	count(nsg_open.deny) == 0 with input as tpl("Microsoft.Network/networkSecurityGroups", {"securityRules": [rule("22", "10.0.0.0/8")]})
}
