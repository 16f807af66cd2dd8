# METADATA
# title: Storage bucket without uniform bucket-level access
# description: With per-object ACLs, a single object can be made public without anyone noticing at the bucket level.
# custom:
#   id: TF-GCP-002
#   severity: medium
#   remediation: Set uniform_bucket_level_access = true so that only IAM controls access.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.storage_uniform_access

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["uniform_bucket_level_access"])} if {
	some r in tf.resources("google_storage_bucket")
	not tf.is_unknown(r, ["uniform_bucket_level_access"])
	not tf.value(r, ["uniform_bucket_level_access"], false) == true
	msg := sprintf("%s does not enforce uniform bucket-level access", [tf.label(r)])
}
