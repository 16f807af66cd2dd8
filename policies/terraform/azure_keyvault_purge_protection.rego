# METADATA
# title: Key Vault purge protection off
# description: Without purge protection, a deleted vault and its keys can be purged at once, with no way back.
# custom:
#   id: TF-AZ-005
#   severity: medium
#   remediation: Set purge_protection_enabled = true (it cannot be turned off again).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.keyvault_purge_protection

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["purge_protection_enabled"])} if {
	some r in tf.resources("azurerm_key_vault")
	not tf.is_unknown(r, ["purge_protection_enabled"])
	not tf.value(r, ["purge_protection_enabled"], false) == true
	msg := sprintf("%s has no purge protection", [tf.label(r)])
}
