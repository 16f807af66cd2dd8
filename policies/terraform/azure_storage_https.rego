# METADATA
# title: Storage account accepts plain HTTP
# description: Requests over plain HTTP travel unencrypted, with their shared keys and SAS tokens.
# custom:
#   id: TF-AZ-002
#   severity: high
#   remediation: Set https_traffic_only_enabled = true (enable_https_traffic_only in provider versions before 4.0).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.storage_https

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, [attr])} if {
	some r in tf.resources("azurerm_storage_account")
	some attr in ["https_traffic_only_enabled", "enable_https_traffic_only"]
	tf.value(r, [attr], true) == false
	msg := sprintf("%s accepts plain HTTP (%s = false)", [tf.label(r), attr])
}
