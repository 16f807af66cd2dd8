package railyard.arm.keyvault_purge_protection_test

import data.railyard.arm.keyvault_purge_protection as kv

tpl(type, props) := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": type, "apiVersion": "2023-01-01", "name": "n", "location": "westeurope", "properties": props}]}

test_unprotected_denied if {
	count(kv.deny) == 1 with input as tpl("Microsoft.KeyVault/vaults", {"tenantId": "t"})
}

test_protected_passes if {
	count(kv.deny) == 0 with input as tpl("Microsoft.KeyVault/vaults", {"enablePurgeProtection": true})
}
