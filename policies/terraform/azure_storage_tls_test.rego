package railyard.terraform.azure.storage_tls_test

import data.railyard.terraform.azure.storage_tls

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_old_tls_denied if {
	count(storage_tls.deny) == 1 with input as plan("azurerm_storage_account", {"min_tls_version": "TLS1_0"})
}

test_tls12_passes if {
	count(storage_tls.deny) == 0 with input as hcl("azurerm_storage_account", {"min_tls_version": "TLS1_2"})
}
