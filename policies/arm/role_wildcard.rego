# METADATA
# title: Custom role allows every action
# description: 'A custom role definition with "*" in its actions is equivalent to Owner over its assignable scopes.'
# custom:
#   id: ARM-IAM-001
#   severity: high
#   remediation: 'List the actions the role needs instead of "*"; use built-in roles where they fit.'
#   targets: [arm]
package railyard.arm.role_wildcard

import data.railyard.arm as arm

deny contains {"msg": msg, "path": array.concat(r.path, ["properties", "permissions", i, "actions"])} if {
	some r in arm.resources("Microsoft.Authorization/roleDefinitions")
	permissions := arm.property(r, ["permissions"], [])
	is_array(permissions)
	some i, p in permissions
	"*" in object.get(p, "actions", [])
	msg := sprintf("%s allows every action (\"*\")", [arm.label(r)])
}
