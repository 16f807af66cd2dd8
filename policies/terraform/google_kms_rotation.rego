# METADATA
# title: KMS key not rotated within 90 days
# description: Without a rotation period, one key version protects data forever.
# custom:
#   id: TF-GCP-006
#   severity: medium
#   remediation: Set rotation_period to 7776000s (90 days) or less.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.kms_rotation

import data.railyard.terraform as tf

max_seconds := 7776000

deny contains {"msg": msg, "path": array.concat(r.path, ["rotation_period"])} if {
	some r in tf.resources("google_kms_crypto_key")
	not tf.is_unknown(r, ["rotation_period"])
	period := tf.value(r, ["rotation_period"], "")
	not short_enough(period)
	msg := sprintf("%s rotates less often than every 90 days (rotation_period %q)", [tf.label(r), period])
}

short_enough(period) if {
	endswith(period, "s")
	to_number(trim_suffix(period, "s")) <= max_seconds
}
