# METADATA
# title: RDS database publicly accessible
# description: A publicly accessible database gets a public IP address and DNS name; only its security group stands between it and the Internet.
# custom:
#   id: TF-AWS-011
#   severity: critical
#   remediation: Set publicly_accessible = false and reach the database from inside the VPC (or through a bastion or VPN).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.rds_public

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["publicly_accessible"])} if {
	some type in ["aws_db_instance", "aws_rds_cluster_instance"]
	some r in tf.resources(type)
	tf.value(r, ["publicly_accessible"], false) == true
	msg := sprintf("%s is publicly accessible", [tf.label(r)])
}
