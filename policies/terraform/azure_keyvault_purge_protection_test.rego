package railyard.terraform.azure.keyvault_purge_protection_test

import data.railyard.terraform.azure.keyvault_purge_protection as kv

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_unprotected_vault_denied if {
	count(kv.deny) == 1 with input as hcl("azurerm_key_vault", {"name": "v"})
}

test_protected_vault_passes if {
	count(kv.deny) == 0 with input as plan("azurerm_key_vault", {"purge_protection_enabled": true})
}
