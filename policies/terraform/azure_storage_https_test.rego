package railyard.terraform.azure.storage_https_test

import data.railyard.terraform.azure.storage_https

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_http_denied if {
	count(storage_https.deny) == 1 with input as plan("azurerm_storage_account", {"enable_https_traffic_only": false})
}

test_https_passes if {
	count(storage_https.deny) == 0 with input as hcl("azurerm_storage_account", {"https_traffic_only_enabled": true})
}
