# METADATA
# title: Required tags missing
# description: 'Tags say who owns a resource and what it costs. Resources with a location must carry the required tags (case-insensitive).'
# custom:
#   id: ARM-TAG-001
#   severity: low
#   remediation: 'Add the required tags (default Owner; set data.railyard.config.required_tags to your own list) to the resource''s tags.'
#   targets: [arm]
package railyard.arm.required_tags

import data.railyard.arm as arm

default required := ["Owner"]

required := data.railyard.config.required_tags

warn contains {"msg": msg, "path": array.concat(r.path, ["tags"])} if {
	some r in arm.all_resources(input)
	r.resource.location
	not arm.is_unknown(object.get(r.resource, "tags", {}))
	present := {lower(k) | some k, _ in arm.tags(r)}
	missing := [t | some t in required; not lower(t) in present]
	count(missing) > 0
	msg := sprintf("%s is missing the tag(s) %s", [arm.label(r), concat(", ", missing)])
}
