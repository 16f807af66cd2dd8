# METADATA
# title: SQL server firewall open to the whole Internet
# description: 'A firewall rule from 0.0.0.0 to 255.255.255.255 lets anyone on the Internet try to connect to the database.'
# custom:
#   id: ARM-SQL-001
#   severity: critical
#   remediation: 'Remove the firewall rule that spans 0.0.0.0-255.255.255.255; allow specific addresses or use private endpoints.'
#   targets: [arm]
package railyard.arm.sql_firewall_open

import data.railyard.arm as arm

deny contains {"msg": msg, "path": array.concat(r.path, ["properties", "endIpAddress"])} if {
	some type in ["Microsoft.Sql/servers/firewallRules", "Microsoft.DBforPostgreSQL/servers/firewallRules", "Microsoft.DBforMySQL/servers/firewallRules", "Microsoft.DBforMariaDB/servers/firewallRules", "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules", "Microsoft.DBforMySQL/flexibleServers/firewallRules"]
	some r in arm.resources(type)
	arm.property(r, ["startIpAddress"], "") == "0.0.0.0"
	arm.property(r, ["endIpAddress"], "") == "255.255.255.255"
	msg := sprintf("%s allows every IPv4 address", [arm.label(r)])
}
