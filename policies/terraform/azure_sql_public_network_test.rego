package railyard.terraform.azure.sql_public_network_test

import data.railyard.terraform.azure.sql_public_network as sql

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_public_server_denied if {
	count(sql.deny) == 1 with input as plan("azurerm_mssql_server", {"public_network_access_enabled": true})
}

test_private_server_passes if {
	count(sql.deny) == 0 with input as hcl("azurerm_mssql_server", {"public_network_access_enabled": false})
}
