# METADATA
# title: Instance uses the default service account with full API access
# description: The Compute Engine default service account has the Editor role; with the cloud-platform scope, any process on the VM can change most of the project.
# custom:
#   id: TF-GCP-007
#   severity: high
#   remediation: Run the instance as a dedicated service account with only the roles it needs, and narrow its scopes.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.default_service_account

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["service_account", i, "scopes"])} if {
	some type in ["google_compute_instance", "google_compute_instance_template"]
	some r in tf.resources(type)
	accounts := tf.value(r, ["service_account"], [])
	is_array(accounts)
	some i, sa in accounts
	default_account(object.get(sa, "email", ""))
	some scope in object.get(sa, "scopes", [])
	scope in {"cloud-platform", "https://www.googleapis.com/auth/cloud-platform"}
	msg := sprintf("%s runs as the default service account with the cloud-platform scope", [tf.label(r)])
}

default_account(email) if email == ""

default_account(email) if email == null

default_account(email) if endswith(email, "-compute@developer.gserviceaccount.com")
