# METADATA
# title: Storage bucket readable by everyone
# description: allUsers is anyone on the Internet; allAuthenticatedUsers is anyone with a Google account.
# custom:
#   id: TF-GCP-001
#   severity: critical
#   remediation: Remove allUsers and allAuthenticatedUsers from the bucket's IAM members and ACLs; grant access to named principals.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.storage_public

import data.railyard.terraform as tf

public_members := {"allUsers", "allAuthenticatedUsers"}

deny contains {"msg": msg, "path": array.concat(r.path, ["member"])} if {
	some r in tf.resources("google_storage_bucket_iam_member")
	tf.value(r, ["member"], "") in public_members
	msg := sprintf("%s grants %s to %s", [tf.label(r), tf.value(r, ["role"], "a role"), tf.value(r, ["member"], "")])
}

deny contains {"msg": msg, "path": array.concat(r.path, ["members"])} if {
	some r in tf.resources("google_storage_bucket_iam_binding")
	members := tf.value(r, ["members"], [])
	is_array(members)
	some m in members
	m in public_members
	msg := sprintf("%s grants %s to %s", [tf.label(r), tf.value(r, ["role"], "a role"), m])
}

deny contains {"msg": msg, "path": array.concat(r.path, ["entity"])} if {
	some type in ["google_storage_bucket_access_control", "google_storage_default_object_access_control", "google_storage_object_access_control"]
	some r in tf.resources(type)
	tf.value(r, ["entity"], "") in public_members
	msg := sprintf("%s gives access to %s", [tf.label(r), tf.value(r, ["entity"], "")])
}
