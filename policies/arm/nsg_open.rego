# METADATA
# title: Network security group open to the Internet on SSH, RDP or all ports
# description: 'An inbound Allow rule from any source (*, 0.0.0.0/0, Internet) to port 22, 3389 or every port exposes the machines behind it.'
# custom:
#   id: ARM-NET-001
#   severity: high
#   remediation: 'Restrict sourceAddressPrefix to known networks, or use Azure Bastion or just-in-time VM access.'
#   targets: [arm]
package railyard.arm.nsg_open

import data.railyard.arm as arm

public_sources := {"*", "0.0.0.0/0", "0.0.0.0", "internet", "any", "::/0"}

rules contains {"resource": r, "rule": r.properties, "path": array.concat(r.path, ["properties"])} if {
	some r in arm.resources("Microsoft.Network/networkSecurityGroups/securityRules")
}

rules contains {"resource": r, "rule": rule.properties, "path": array.concat(r.path, ["properties", "securityRules", i, "properties"])} if {
	some r in arm.resources("Microsoft.Network/networkSecurityGroups")
	list := arm.property(r, ["securityRules"], [])
	is_array(list)
	some i, rule in list
	is_object(rule.properties)
}

deny contains {"msg": msg, "path": m.path} if {
	some m in rules
	lower(object.get(m.rule, "direction", "")) == "inbound"
	lower(object.get(m.rule, "access", "")) == "allow"
	public_source(m.rule)
	some what in exposed(m.rule)
	msg := sprintf("%s allows %s from the Internet", [arm.label(m.resource), what])
}

public_source(rule) if lower(object.get(rule, "sourceAddressPrefix", "")) in public_sources

public_source(rule) if {
	some p in list(object.get(rule, "sourceAddressPrefixes", []))
	lower(p) in public_sources
}

ranges(rule) := array.concat([object.get(rule, "destinationPortRange", "")], list(object.get(rule, "destinationPortRanges", [])))

list(x) := x if is_array(x)

list(x) := [] if not is_array(x)

exposed(rule) := {"all ports" | some r in ranges(rule); r == "*"} | {sprintf("port %d", [p]) |
	some r in ranges(rule)
	some p in [22, 3389]
	covers(r, p)
}

covers(r, p) if sprintf("%v", [r]) == sprintf("%d", [p])

covers(r, p) if {
	is_string(r)
	parts := split(r, "-")
	count(parts) == 2
	regex.match(`^[0-9]+$`, parts[0])
	regex.match(`^[0-9]+$`, parts[1])
	to_number(parts[0]) <= p
	p <= to_number(parts[1])
}
