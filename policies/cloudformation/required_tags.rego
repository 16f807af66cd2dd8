# METADATA
# title: Required tags missing
# description: Tags say who owns a resource and what it costs. Resources that declare Tags must carry the required ones (case-insensitive).
# custom:
#   id: CFN-TAG-001
#   severity: low
#   remediation: Add the required tags (default Owner; set data.railyard.config.required_tags to your own list) to the resource's Tags.
#   targets: [cloudformation]
package railyard.cloudformation.required_tags

import data.railyard.cloudformation as cfn

default required := ["Owner"]

required := data.railyard.config.required_tags

warn contains {"msg": msg, "path": array.concat(r.path, ["Tags"])} if {
	some r in cfn.all_resources(input)
	r.properties.Tags
	not cfn.is_unknown(r.properties.Tags)
	present := {lower(k) | some k, _ in cfn.tags(r)}
	missing := [t | some t in required; not lower(t) in present]
	count(missing) > 0
	msg := sprintf("%s is missing the tag(s) %s", [cfn.label(r), concat(", ", missing)])
}
