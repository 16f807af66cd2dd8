package railyard.terraform.azure.nsg_open_test

import data.railyard.terraform.azure.nsg_open

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

rule(port, source) := {"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source_address_prefix": source, "destination_port_range": port}

test_ssh_from_internet_denied if {
	findings := nsg_open.deny with input as plan("azurerm_network_security_rule", rule("22", "Internet"))
	{f.msg | some f in findings} == {"azurerm_network_security_rule.r allows port 22 from the Internet"}
}

test_inline_rdp_range_denied if {
	findings := nsg_open.deny with input as hcl("azurerm_network_security_group", {"security_rule": [rule("443", "*"), rule("3000-4000", "*")]})
	{f.path | some f in findings} == {["resource", "azurerm_network_security_group", "r", 0, "security_rule", 1]}
}

test_https_from_internet_passes if {
	count(nsg_open.deny) == 0 with input as plan("azurerm_network_security_rule", rule("443", "*"))
}

test_ssh_from_vnet_passes if {
	count(nsg_open.deny) == 0 with input as plan("azurerm_network_security_rule", rule("22", "VirtualNetwork"))
}
