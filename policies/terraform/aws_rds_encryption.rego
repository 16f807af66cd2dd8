# METADATA
# title: RDS storage not encrypted
# description: Unencrypted database storage, snapshots and backups can be read by anyone who gets hold of them.
# custom:
#   id: TF-AWS-010
#   severity: high
#   remediation: Set storage_encrypted = true (and kms_key_id for a customer managed key); an existing database must be restored from an encrypted snapshot.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.rds_encryption

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["storage_encrypted"])} if {
	some type in ["aws_db_instance", "aws_rds_cluster"]
	some r in tf.resources(type)
	not tf.is_unknown(r, ["storage_encrypted"])
	not tf.value(r, ["storage_encrypted"], false) == true
	# Aurora instances inherit encryption from their cluster.
	tf.value(r, ["cluster_identifier"], "") == ""
	msg := sprintf("%s does not encrypt its storage", [tf.label(r)])
}
