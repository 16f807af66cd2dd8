# METADATA
# title: Custom role allows every action
# description: A custom role definition with "*" in its actions is equivalent to Owner over its assignable scopes.
# custom:
#   id: TF-AZ-007
#   severity: high
#   remediation: List the actions the role needs instead of "*"; use built-in roles where they fit.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.role_wildcard

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["permissions", i, "actions"])} if {
	some r in tf.resources("azurerm_role_definition")
	permissions := tf.value(r, ["permissions"], [])
	is_array(permissions)
	some i, p in permissions
	"*" in object.get(p, "actions", [])
	msg := sprintf("%s allows every action (\"*\")", [tf.label(r)])
}
