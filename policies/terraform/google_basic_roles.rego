# METADATA
# title: Basic role (Owner or Editor) granted on the project
# description: The basic Owner and Editor roles carry thousands of permissions across every service of the project.
# custom:
#   id: TF-GCP-008
#   severity: high
#   remediation: Grant predefined or custom roles with only the permissions needed instead of roles/owner or roles/editor.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.basic_roles

import data.railyard.terraform as tf

basic_roles := {"roles/owner", "roles/editor"}

deny contains {"msg": msg, "path": array.concat(r.path, ["role"])} if {
	some type in ["google_project_iam_member", "google_project_iam_binding", "google_folder_iam_member", "google_organization_iam_member"]
	some r in tf.resources(type)
	role := tf.value(r, ["role"], "")
	role in basic_roles
	msg := sprintf("%s grants the basic role %s", [tf.label(r), role])
}
