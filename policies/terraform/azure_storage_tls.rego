# METADATA
# title: Storage account allows TLS before 1.2
# description: TLS 1.0 and 1.1 have known weaknesses and are being retired by Azure.
# custom:
#   id: TF-AZ-003
#   severity: medium
#   remediation: Set min_tls_version = "TLS1_2".
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.storage_tls

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["min_tls_version"])} if {
	some r in tf.resources("azurerm_storage_account")
	version := tf.value(r, ["min_tls_version"], "TLS1_2")
	version in {"TLS1_0", "TLS1_1"}
	msg := sprintf("%s accepts %s", [tf.label(r), version])
}
