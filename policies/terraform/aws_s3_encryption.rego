# METADATA
# title: S3 bucket without default encryption
# description: Server-side encryption settings make the bucket's encryption explicit and let you choose a KMS key you control. Checked on plans only, since the configuration may sit in another .tf file.
# custom:
#   id: TF-AWS-002
#   severity: medium
#   remediation: Add an aws_s3_bucket_server_side_encryption_configuration for the bucket (SSE-KMS with a customer managed key for sensitive data).
#   targets: [terraform-plan]
package railyard.terraform.aws.s3_encryption

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": r.path} if {
	some r in tf.resources("aws_s3_bucket")
	not inline_encryption(r)
	not encrypted_separately(r)
	msg := sprintf("%s has no server-side encryption configuration", [tf.label(r)])
}

# The separate resources are listed once per evaluation (not once per bucket).
configs := tf.resources("aws_s3_bucket_server_side_encryption_configuration")

encrypted_separately(r) if {
	some c in configs
	tf.refers_to(c, r)
}

inline_encryption(r) if count(tf.value(r, ["server_side_encryption_configuration"], [])) > 0

inline_encryption(r) if tf.is_unknown(r, ["server_side_encryption_configuration"])
