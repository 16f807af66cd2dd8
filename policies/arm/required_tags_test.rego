package railyard.arm.required_tags_test

import data.railyard.arm.required_tags

tpl(type, props) := {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"type": type, "apiVersion": "2023-01-01", "name": "n", "location": "westeurope", "properties": props}]}

test_untagged_warned if {
	count(required_tags.warn) == 1 with input as tpl("Microsoft.Storage/storageAccounts", {})
}

test_tagged_passes if {
	t := {"resources": [{"type": "Microsoft.Web/sites", "name": "s", "location": "x", "tags": {"owner": "a"}}]}
	count(required_tags.warn) == 0 with input as t
}
