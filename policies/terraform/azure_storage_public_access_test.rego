package railyard.terraform.azure.storage_public_access_test

import data.railyard.terraform.azure.storage_public_access as spa

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_public_account_denied if {
	count(spa.deny) == 1 with input as plan("azurerm_storage_account", {"allow_nested_items_to_be_public": true})
}

test_private_account_passes if {
	count(spa.deny) == 0 with input as plan("azurerm_storage_account", {"allow_nested_items_to_be_public": false})
}

test_hcl_default_denied if {
	count(spa.deny) == 1 with input as hcl("azurerm_storage_account", {"name": "x"})
}
