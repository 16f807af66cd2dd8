# METADATA
# title: Storage account allows public blob access
# description: Containers of an account that allows public access can be made readable by anyone with the URL.
# custom:
#   id: TF-AZ-001
#   severity: high
#   remediation: Set allow_nested_items_to_be_public = false (allow_blob_public_access in provider versions before 3.0).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.storage_public_access

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, [attr])} if {
	some r in tf.resources("azurerm_storage_account")
	some attr in ["allow_nested_items_to_be_public", "allow_blob_public_access"]
	tf.value(r, [attr], false) == true
	msg := sprintf("%s allows public access to blobs (%s)", [tf.label(r), attr])
}

# In a .tf file, an absent setting takes the provider's default: true.
deny contains {"msg": msg, "path": r.path} if {
	data.railyard.terraform.is_hcl
	some r in tf.resources("azurerm_storage_account")
	not "allow_nested_items_to_be_public" in object.keys(r.values)
	not "allow_blob_public_access" in object.keys(r.values)
	msg := sprintf("%s allows public access to blobs (allow_nested_items_to_be_public defaults to true)", [tf.label(r)])
}
