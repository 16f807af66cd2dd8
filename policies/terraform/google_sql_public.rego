# METADATA
# title: Cloud SQL instance open to the Internet
# description: An authorized network of 0.0.0.0/0 lets anyone on the Internet try to connect to the database.
# custom:
#   id: TF-GCP-004
#   severity: critical
#   remediation: Remove 0.0.0.0/0 from authorized_networks; use private IP or the Cloud SQL Auth Proxy.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.sql_public

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["settings", 0, "ip_configuration", 0, "authorized_networks", i, "value"])} if {
	some r in tf.resources("google_sql_database_instance")
	networks := tf.value(r, ["settings", 0, "ip_configuration", 0, "authorized_networks"], [])
	is_array(networks)
	some i, n in networks
	object.get(n, "value", "") in data.railyard.terraform.public_cidrs
	msg := sprintf("%s accepts connections from anywhere (0.0.0.0/0)", [tf.label(r)])
}
