package railyard.terraform.azure.role_wildcard_test

import data.railyard.terraform.azure.role_wildcard

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_wildcard_role_denied if {
	count(role_wildcard.deny) == 1 with input as plan("azurerm_role_definition", {"permissions": [{"actions": ["*"]}]})
}

test_scoped_role_passes if {
	count(role_wildcard.deny) == 0 with input as hcl("azurerm_role_definition", {"permissions": [{"actions": ["Microsoft.Storage/*/read"]}]})
}
