package railyard.arm.role_wildcard_test

import data.railyard.arm.role_wildcard

tpl(type, props) := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": type, "apiVersion": "2023-01-01", "name": "n", "location": "westeurope", "properties": props}]}

test_wildcard_denied if {
	count(role_wildcard.deny) == 1 with input as tpl("Microsoft.Authorization/roleDefinitions", {"permissions": [{"actions": ["*"]}]})
}

test_scoped_passes if {
	count(role_wildcard.deny) == 0 with input as tpl("Microsoft.Authorization/roleDefinitions", {"permissions": [{"actions": ["Microsoft.Compute/*/read"]}]})
}
