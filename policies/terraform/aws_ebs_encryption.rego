# METADATA
# title: EBS volume not encrypted
# description: Unencrypted EBS volumes and their snapshots expose the data to anyone who can copy or share them.
# custom:
#   id: TF-AWS-013
#   severity: high
#   remediation: Set encrypted = true on the volume (or turn on EBS encryption by default for the account with aws_ebs_encryption_by_default).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.ebs_encryption

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["encrypted"])} if {
	some r in tf.resources("aws_ebs_volume")
	not tf.is_unknown(r, ["encrypted"])
	not tf.value(r, ["encrypted"], false) == true
	not default_encryption
	msg := sprintf("%s is not encrypted", [tf.label(r)])
}

deny contains {"msg": msg, "path": array.concat(r.path, [device, i, "encrypted"])} if {
	some r in tf.resources("aws_instance")
	some device in ["root_block_device", "ebs_block_device"]
	devices := tf.value(r, [device], [])
	is_array(devices)
	some i, d in devices
	d.encrypted == false
	not default_encryption
	msg := sprintf("%s has an unencrypted %s", [tf.label(r), device])
}

default_encryption if {
	some r in tf.resources("aws_ebs_encryption_by_default")
	tf.value(r, ["enabled"], true) == true
}
