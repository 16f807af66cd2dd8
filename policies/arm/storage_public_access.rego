# METADATA
# title: Storage account allows public blob access
# description: 'Containers of an account that allows public access can be made readable by anyone with the URL.'
# custom:
#   id: ARM-STG-002
#   severity: high
#   remediation: 'Set properties.allowBlobPublicAccess to false.'
#   targets: [arm]
package railyard.arm.storage_public_access

import data.railyard.arm as arm

deny contains {"msg": msg, "path": array.concat(r.path, ["properties", "allowBlobPublicAccess"])} if {
	some r in arm.resources("Microsoft.Storage/storageAccounts")
	arm.property(r, ["allowBlobPublicAccess"], false) == true
	msg := sprintf("%s allows public blob access", [arm.label(r)])
}
