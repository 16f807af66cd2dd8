# METADATA
# title: S3 bucket versioning not enabled
# description: Versioning keeps overwritten and deleted objects recoverable. Checked on plans only, since the configuration may sit in another .tf file.
# custom:
#   id: TF-AWS-004
#   severity: medium
#   remediation: Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }.
#   targets: [terraform-plan]
package railyard.terraform.aws.s3_versioning

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": r.path} if {
	some r in tf.resources("aws_s3_bucket")
	not inline_versioning(r)
	not separate_versioning(r)
	msg := sprintf("%s does not have versioning enabled", [tf.label(r)])
}

inline_versioning(r) if tf.value(r, ["versioning", 0, "enabled"], false) == true

inline_versioning(r) if tf.is_unknown(r, ["versioning", 0, "enabled"])

versionings := tf.resources("aws_s3_bucket_versioning")

separate_versioning(r) if {
	some v in versionings
	tf.refers_to(v, r)
	enabled(v)
}

enabled(v) if tf.value(v, ["versioning_configuration", 0, "status"], "") == "Enabled"

enabled(v) if tf.is_unknown(v, ["versioning_configuration", 0, "status"])
