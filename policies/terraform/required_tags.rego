# METADATA
# title: Required tags missing
# description: Tags say who owns a resource and what it costs. Checked on plans only, where provider default_tags are merged into tags_all. Every AWS or Azure resource that takes tags must carry the required ones (case-insensitive).
# custom:
#   id: TF-TAG-001
#   severity: low
#   remediation: Add the required tags (default Owner; set data.railyard.config.required_tags to your own list), or set them once in the AWS provider's default_tags.
#   targets: [terraform-plan]
package railyard.terraform.required_tags

import data.railyard.terraform as tf

default required := ["Owner"]

required := data.railyard.config.required_tags

warn contains {"msg": msg, "path": array.concat(r.path, ["tags"])} if {
	some i, rc in input.resource_changes
	object.get(rc, "mode", "managed") == "managed"
	not rc.change.actions == ["delete"]
	r := tf.resource_entry(i, rc)
	taggable(r)
	not tf.is_unknown(r, ["tags_all"])
	not tf.is_unknown(r, ["tags"])
	present := {lower(k) | some k, _ in tf.tags(r)}
	missing := [t | some t in required; not lower(t) in present]
	count(missing) > 0
	msg := sprintf("%s is missing the tag(s) %s", [tf.label(r), concat(", ", missing)])
}

taggable(r) if "tags" in object.keys(r.values)

taggable(r) if "tags_all" in object.keys(r.values)
