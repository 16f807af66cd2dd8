# METADATA
# title: Storage account accepts plain HTTP
# description: 'Requests over plain HTTP travel unencrypted, with their shared keys and SAS tokens.'
# custom:
#   id: ARM-STG-001
#   severity: high
#   remediation: 'Set properties.supportsHttpsTrafficOnly to true.'
#   targets: [arm]
package railyard.arm.storage_https

import data.railyard.arm as arm

deny contains {"msg": msg, "path": array.concat(r.path, ["properties", "supportsHttpsTrafficOnly"])} if {
	some r in arm.resources("Microsoft.Storage/storageAccounts")
	v := arm.property(r, ["supportsHttpsTrafficOnly"], true)
	not arm.is_unknown(v)
	v == false
	msg := sprintf("%s accepts plain HTTP", [arm.label(r)])
}
