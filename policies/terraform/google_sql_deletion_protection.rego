# METADATA
# title: Cloud SQL deletion protection off
# description: With deletion protection off, terraform destroy or a replacing change deletes the instance and its data.
# custom:
#   id: TF-GCP-005
#   severity: medium
#   remediation: Leave deletion_protection at its default (true) for instances that hold data.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.sql_deletion_protection

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["deletion_protection"])} if {
	some r in tf.resources("google_sql_database_instance")
	tf.value(r, ["deletion_protection"], true) == false
	msg := sprintf("%s has deletion protection off", [tf.label(r)])
}
