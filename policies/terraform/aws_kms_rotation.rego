# METADATA
# title: KMS key rotation off
# description: Automatic rotation limits how much data one key version protects and how long a leaked key stays useful.
# custom:
#   id: TF-AWS-014
#   severity: medium
#   remediation: Set enable_key_rotation = true on symmetric customer managed keys.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.kms_rotation

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["enable_key_rotation"])} if {
	some r in tf.resources("aws_kms_key")
	# Only symmetric encryption keys can rotate automatically.
	tf.value(r, ["customer_master_key_spec"], "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
	not tf.is_unknown(r, ["enable_key_rotation"])
	not tf.value(r, ["enable_key_rotation"], false) == true
	msg := sprintf("%s does not rotate automatically", [tf.label(r)])
}
