# METADATA
# title: S3 bucket access logging off
# description: Server access logs record who read and changed objects, for audits and incident response. Checked on plans only, since the configuration may sit in another .tf file.
# custom:
#   id: TF-AWS-005
#   severity: low
#   remediation: Add an aws_s3_bucket_logging for the bucket that sends access logs to a dedicated log bucket.
#   targets: [terraform-plan]
package railyard.terraform.aws.s3_logging

import data.railyard.terraform as tf

warn contains {"msg": msg, "path": r.path} if {
	some r in tf.resources("aws_s3_bucket")
	count(tf.value(r, ["logging"], [])) == 0
	not tf.is_unknown(r, ["logging"])
	not logged_separately(r)
	msg := sprintf("%s has no access logging", [tf.label(r)])
}

loggings := tf.resources("aws_s3_bucket_logging")

logged_separately(r) if {
	some l in loggings
	tf.refers_to(l, r)
}
