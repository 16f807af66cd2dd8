# METADATA
# title: Network security group open to the Internet on SSH, RDP or all ports
# description: An inbound Allow rule from any source (*, 0.0.0.0/0, Internet) to port 22, 3389 or every port exposes the machines behind it.
# custom:
#   id: TF-AZ-004
#   severity: high
#   remediation: Restrict source_address_prefix to known networks, or use Azure Bastion or just-in-time VM access.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.nsg_open

import data.railyard.terraform as tf

public_sources := {"*", "0.0.0.0/0", "0.0.0.0", "internet", "any", "::/0"}

admin_ports := [22, 3389]

rules contains {"resource": r, "rule": r.values, "path": r.path} if {
	some r in tf.resources("azurerm_network_security_rule")
}

rules contains {"resource": r, "rule": rule, "path": array.concat(r.path, ["security_rule", i])} if {
	some r in tf.resources("azurerm_network_security_group")
	list := tf.value(r, ["security_rule"], [])
	is_array(list)
	some i, rule in list
}

deny contains {"msg": msg, "path": m.path} if {
	some m in rules
	lower(object.get(m.rule, "direction", "")) == "inbound"
	lower(object.get(m.rule, "access", "")) == "allow"
	public_source(m.rule)
	some port in exposed(m.rule)
	msg := sprintf("%s allows %s from the Internet", [tf.label(m.resource), port])
}

public_source(rule) if lower(object.get(rule, "source_address_prefix", "")) in public_sources

public_source(rule) if {
	some p in list(object.get(rule, "source_address_prefixes", []))
	lower(p) in public_sources
}

ranges(rule) := array.concat([object.get(rule, "destination_port_range", "")], list(object.get(rule, "destination_port_ranges", [])))

list(x) := x if is_array(x)

list(x) := [] if not is_array(x)

exposed(rule) := {"all ports" | some r in ranges(rule); r == "*"} | {sprintf("port %d", [p]) |
	some r in ranges(rule)
	r != "*"
	some p in admin_ports
	covers(r, p)
}

covers(r, p) if {
	regex.match(`^[0-9]+$`, sprintf("%v", [r]))
	to_number(r) == p
}

covers(r, p) if {
	is_string(r)
	parts := split(r, "-")
	count(parts) == 2
	regex.match(`^[0-9]+$`, parts[0])
	regex.match(`^[0-9]+$`, parts[1])
	tf.port_in_range(p, parts[0], parts[1])
}
