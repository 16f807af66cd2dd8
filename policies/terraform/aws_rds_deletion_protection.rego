# METADATA
# title: RDS deletion protection off
# description: Without deletion protection, a terraform destroy or a mistaken replace deletes the database.
# custom:
#   id: TF-AWS-012
#   severity: medium
#   remediation: Set deletion_protection = true on production databases.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.rds_deletion_protection

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["deletion_protection"])} if {
	some type in ["aws_db_instance", "aws_rds_cluster"]
	some r in tf.resources(type)
	not tf.is_unknown(r, ["deletion_protection"])
	not tf.value(r, ["deletion_protection"], false) == true
	tf.value(r, ["cluster_identifier"], "") == ""
	msg := sprintf("%s has no deletion protection", [tf.label(r)])
}
