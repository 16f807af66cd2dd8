package railyard.arm.sql_firewall_open_test

import data.railyard.arm.sql_firewall_open

tpl(type, props) := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": type, "apiVersion": "2023-01-01", "name": "n", "location": "westeurope", "properties": props}]}

test_open_rule_denied if {
	count(sql_firewall_open.deny) == 1 with input as tpl("Microsoft.Sql/servers/firewallRules", {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"})
}

test_azure_services_rule_passes if {
	count(sql_firewall_open.deny) == 0 with input as tpl("Microsoft.Sql/servers/firewallRules", {"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"})
}
