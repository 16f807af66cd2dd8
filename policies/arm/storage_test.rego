package railyard.arm.storage_test

import data.railyard.arm.storage_https
import data.railyard.arm.storage_public_access
import data.railyard.arm.storage_tls

tpl(type, props) := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": type, "apiVersion": "2023-01-01", "name": "n", "location": "westeurope", "properties": props}]}

good := {"supportsHttpsTrafficOnly": true, "allowBlobPublicAccess": false, "minimumTlsVersion": "TLS1_2"}

test_good_account_passes if {
	count(storage_https.deny) == 0 with input as tpl("Microsoft.Storage/storageAccounts", good)
	count(storage_public_access.deny) == 0 with input as tpl("Microsoft.Storage/storageAccounts", good)
	count(storage_tls.deny) == 0 with input as tpl("Microsoft.Storage/storageAccounts", good)
}

test_http_denied if {
	findings := storage_https.deny with input as tpl("microsoft.storage/storageaccounts", object.union(good, {"supportsHttpsTrafficOnly": false}))
	{f.path | some f in findings} == {["resources", 0, "properties", "supportsHttpsTrafficOnly"]}
}

test_public_access_denied if {
	count(storage_public_access.deny) == 1 with input as tpl("Microsoft.Storage/storageAccounts", object.union(good, {"allowBlobPublicAccess": true}))
}

test_missing_tls_denied if {
	count(storage_tls.deny) == 1 with input as tpl("Microsoft.Storage/storageAccounts", object.remove(good, ["minimumTlsVersion"]))
}

test_expression_tls_passes if {
	count(storage_tls.deny) == 0 with input as tpl("Microsoft.Storage/storageAccounts", object.union(good, {"minimumTlsVersion": "[parameters('tls')]"}))
}
