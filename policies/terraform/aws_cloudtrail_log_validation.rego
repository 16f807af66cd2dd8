# METADATA
# title: CloudTrail log file validation off
# description: Without log file validation, a changed or deleted CloudTrail log file cannot be detected.
# custom:
#   id: TF-AWS-016
#   severity: medium
#   remediation: Set enable_log_file_validation = true on the trail.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.cloudtrail_log_validation

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["enable_log_file_validation"])} if {
	some r in tf.resources("aws_cloudtrail")
	not tf.is_unknown(r, ["enable_log_file_validation"])
	not tf.value(r, ["enable_log_file_validation"], false) == true
	msg := sprintf("%s does not validate its log files", [tf.label(r)])
}
