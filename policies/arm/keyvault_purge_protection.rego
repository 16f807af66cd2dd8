# METADATA
# title: Key Vault purge protection off
# description: 'Without purge protection, a deleted vault and its keys can be purged at once, with no way back.'
# custom:
#   id: ARM-KV-001
#   severity: medium
#   remediation: 'Set properties.enablePurgeProtection to true (it cannot be turned off again).'
#   targets: [arm]
package railyard.arm.keyvault_purge_protection

import data.railyard.arm as arm

deny contains {"msg": msg, "path": array.concat(r.path, ["properties", "enablePurgeProtection"])} if {
	some r in arm.resources("Microsoft.KeyVault/vaults")
	v := arm.property(r, ["enablePurgeProtection"], false)
	not arm.is_unknown(v)
	v != true
	msg := sprintf("%s has no purge protection", [arm.label(r)])
}
