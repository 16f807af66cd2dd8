# Helpers for Terraform policies. One set of functions serves both inputs
# Railyard reads for Terraform:
#
# - a plan (`terraform show -json plan.out`): every resource change, with the
#   values after apply, the planned action, and which values are unknown
#   until apply (`after_unknown`);
# - a `.tf` file, read into Conftest's hcl2 shape
#   (`{"resource": {"aws_s3_bucket": {"logs": [{...}]}}}`), where a value that
#   Terraform computes (a reference, a function call) is a string `"${...}"`.
#
# Each resource is an entry:
#   {"address": "module.net.aws_security_group.web",   # module-aware
#    "module": "module.net",                           # "" in the root module
#    "type": "aws_security_group", "name": "web",
#    "action": "create",     # plan: create/update/replace/delete/read/no-op; HCL: ""
#    "values": {...},        # attribute values after apply (plan) or as written (HCL)
#    "unknown": {...},       # plan: after_unknown; HCL: {}
#    "path": ["resource_changes", 3, "change", "after"]}   # or ["resource", type, name, 0]
# so a finding's path is array.concat(r.path, ["attribute", ...]).
#
# Unknown values: a rule must not fail a resource because a value is not
# known yet. Ask tf.is_unknown(r, ["attr"]) before concluding from a missing
# or false value; tf.value(r, path, fallback) reads a value.
#
# Usage: `import data.railyard.terraform as tf`, then call the functions
# through the alias (tf.resources("aws_s3_bucket")). Read constant sets by
# their full path (data.railyard.terraform.public_cidrs): regorus 0.14.1
# evaluates every package under data.railyard.terraform when a rule (not a
# function) is read through the alias. Policy packages under
# railyard.terraform must not be named after a helper below.
package railyard.terraform

# CIDR blocks that mean "anywhere".
public_cidrs := {"0.0.0.0/0", "::/0"}

# is_plan: the input is a Terraform plan.
is_plan if input.format_version

# is_hcl: the input is a .tf file (Conftest's hcl2 shape).
is_hcl if {
	not input.format_version
	is_object(input.resource)
}

# action(rc): the planned action of a resource change: create, update,
# delete, read, no-op, or replace (delete-then-create or create-then-delete).
action(rc) := "replace" if {
	count(rc.change.actions) == 2
	"delete" in rc.change.actions
	"create" in rc.change.actions
} else := rc.change.actions[0] if {
	count(rc.change.actions) == 1
} else := concat("-", rc.change.actions)

_plan_entry(i, rc) := {
	"address": rc.address,
	"module": object.get(rc, "module_address", ""),
	"type": rc.type,
	"name": rc.name,
	"mode": object.get(rc, "mode", "managed"),
	"action": action(rc),
	"values": _object_or_empty(object.get(rc.change, "after", {})),
	"unknown": _object_or_empty(object.get(rc.change, "after_unknown", {})),
	"path": ["resource_changes", i, "change", "after"],
}

# resource_entry(i, rc): the entry for input.resource_changes[i] (for rules
# that walk every change themselves instead of asking for one type).
resource_entry(i, rc) := _plan_entry(i, rc)

_object_or_empty(x) := x if is_object(x)

_object_or_empty(x) := {} if not is_object(x)

_has_changes if count(object.get(input, "resource_changes", [])) > 0

# resources(type): the managed resources of a type that exist after the plan
# (every action but delete and read), or the `resource` blocks of a .tf file.
resources(type) := {r |
	some i, rc in input.resource_changes
	rc.type == type
	object.get(rc, "mode", "managed") == "managed"
	not rc.change.actions == ["delete"]
	r := _plan_entry(i, rc)
} if {
	is_plan
	_has_changes
}

resources(type) := _planned_resources(type) if {
	is_plan
	not _has_changes
}

resources(type) := {r |
	some name, bodies in object.get(input.resource, type, {})
	some i, body in bodies
	r := {
		"address": sprintf("%s.%s", [type, name]),
		"module": "",
		"type": type,
		"name": name,
		"mode": "managed",
		"action": "",
		"values": body,
		"unknown": {},
		"path": ["resource", type, name, i],
	}
} if is_hcl

resources(_) := set() if {
	not is_plan
	not is_hcl
}

# A plan without resource_changes (an old format, or `terraform show -json`
# of a state): the resources of planned_values, in the root module and up to
# three levels of child modules.
_planned_resources(type) := {r |
	some path, module in _planned_modules
	some i, res in object.get(module, "resources", [])
	res.type == type
	object.get(res, "mode", "managed") == "managed"
	r := {
		"address": res.address,
		"module": _module_of(res.address),
		"type": res.type,
		"name": res.name,
		"mode": "managed",
		"action": "",
		"values": _object_or_empty(object.get(res, "values", {})),
		"unknown": {},
		"path": array.concat(path, ["resources", i, "values"]),
	}
}

_planned_modules[["planned_values", "root_module"]] := input.planned_values.root_module

_planned_modules[["planned_values", "root_module", "child_modules", i]] := m if {
	some i, m in input.planned_values.root_module.child_modules
}

_planned_modules[["planned_values", "root_module", "child_modules", i, "child_modules", j]] := m if {
	some i, m1 in input.planned_values.root_module.child_modules
	some j, m in m1.child_modules
}

_planned_modules[["planned_values", "root_module", "child_modules", i, "child_modules", j, "child_modules", k]] := m if {
	some i, m1 in input.planned_values.root_module.child_modules
	some j, m2 in m1.child_modules
	some k, m in m2.child_modules
}

# changes(action): every resource change (managed or data) with that planned
# action ("create", "update", "replace", "delete", "read", "no-op"), as
# entries; for a delete, values are the values before.
changes(act) := {r |
	some i, rc in object.get(input, "resource_changes", [])
	action(rc) == act
	r := object.union(_plan_entry(i, rc), _before_if_deleted(i, rc))
}

_before_if_deleted(i, rc) := {
	"values": _object_or_empty(object.get(rc.change, "before", {})),
	"path": ["resource_changes", i, "change", "before"],
} if rc.change.actions == ["delete"]

_before_if_deleted(_, rc) := {} if not rc.change.actions == ["delete"]

# after(r): the values of a resource after apply ({} when it is deleted).
after(r) := r.values

# value(r, path, fallback): the value at path (an array of keys and indices)
# in the resource's values, or fallback when absent or null.
value(r, path, fallback) := v if {
	v := object.get(r.values, path, null)
	v != null
} else := fallback

# is_unknown(r, path): the value at path (or a value containing it) is not
# known until apply: marked in the plan's after_unknown, or, in a .tf file,
# written as an expression ("${var.x}").
is_unknown(r, _) if {
	r.unknown == true
}

is_unknown(r, path) if {
	some n in numbers.range(1, count(path))
	object.get(r.unknown, array.slice(path, 0, n), false) == true
}

is_unknown(r, path) if {
	some n in numbers.range(1, count(path))
	v := object.get(r.values, array.slice(path, 0, n), null)
	is_string(v)
	contains(v, "${")
}

# is_known(r, path): the opposite of is_unknown.
is_known(r, path) if not is_unknown(r, path)

# module_names(address): the module names in an address, instance keys dropped
# ("module.a[0].module.b.aws_x.y" -> ["a", "b"]).
module_names(address) := [m[1] | some m in regex.find_all_string_submatch_n(`module\.([^.\[]+)`, address, -1)]

_module_of(address) := concat(".", [sprintf("module.%s", [m]) | some m in module_names(address)])

# relative_address(r): the address inside its module, without instance key
# ("module.net.aws_s3_bucket.b[0]" -> "aws_s3_bucket.b").
relative_address(r) := sprintf("%s.%s", [r.type, r.name])

# config(r): the resource's block in the plan's `configuration` (with its
# `expressions` and their `references`); undefined for HCL and when absent.
config(r) := c if {
	names := module_names(r.address)
	count(names) == 0
	some c in input.configuration.root_module.resources
	c.address == relative_address(r)
}

config(r) := c if {
	names := module_names(r.address)
	count(names) == 1
	some c in input.configuration.root_module.module_calls[names[0]].module.resources
	c.address == relative_address(r)
}

config(r) := c if {
	names := module_names(r.address)
	count(names) == 2
	some c in input.configuration.root_module.module_calls[names[0]].module.module_calls[names[1]].module.resources
	c.address == relative_address(r)
}

# references(r): what the resource's configuration refers to
# ("aws_s3_bucket.logs.id", "var.name", ...), from the plan's configuration,
# or from the "${...}" strings of a .tf block.
references(r) := {ref |
	c := config(r)
	walk(c.expressions, [p, v])
	count(p) > 0
	p[count(p) - 1] == "references"
	some ref in v
} if is_plan

references(r) := {ref |
	walk(r.values, [_, v])
	is_string(v)
	some m in regex.find_all_string_submatch_n(`\$\{([^}]*)\}`, v, -1)
	some ref in regex.find_n(`[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)+`, m[1], -1)
} if is_hcl

# refers_to(a, b): resource a's configuration refers to resource b (in the
# same module), e.g. an aws_s3_bucket_versioning whose bucket is
# aws_s3_bucket.logs.id; in a plan, also a known `bucket` value equal to b's.
refers_to(a, b) if {
	_module_of(a.address) == _module_of(b.address)
	rel := relative_address(b)
	some ref in references(a)
	_ref_matches(ref, rel)
}

refers_to(a, b) if {
	name := value(b, ["bucket"], null)
	is_string(name)
	value(a, ["bucket"], null) == name
}

_ref_matches(ref, rel) if ref == rel

_ref_matches(ref, rel) if startswith(ref, concat("", [rel, "."]))

_ref_matches(ref, rel) if startswith(ref, concat("", [rel, "["]))

# attached(r, type): the resources of a type that refer to r (the separate
# configuration resources of an S3 bucket, for instance).
attached(r, type) := {a |
	some a in resources(type)
	refers_to(a, r)
}

# tags(r): the resource's tags: tags_all (with provider default_tags) when
# known, else tags; {} when none.
tags(r) := t if {
	t := value(r, ["tags_all"], null)
	is_object(t)
	count(t) > 0
} else := t if {
	t := value(r, ["tags"], null)
	is_object(t)
} else := {}

# port_in_range(port, from, to): port lies in [from, to] (numbers or numeric strings).
port_in_range(port, from, to) if {
	_number(from) <= port
	port <= _number(to)
}

# A number, or a string of digits (a port written "22"); undefined otherwise.
_number(x) := x if is_number(x)

_number(x) := to_number(x) if {
	is_string(x)
	regex.match(`^-?[0-9]+$`, x)
}

# cidrs_public(list): some CIDR in the list means "anywhere".
cidrs_public(list) if {
	is_array(list)
	some c in list
	c in public_cidrs
}

# label(r): how messages name a resource: its address.
label(r) := r.address

# aws_public_ingress(port): the ingress rules open to 0.0.0.0/0 or ::/0 that
# allow a TCP port (a number), or every port when port is "all" (protocol -1,
# or 0-65535): inline `ingress` blocks of aws_security_group,
# aws_security_group_rule (type ingress) and aws_vpc_security_group_ingress_rule.
# Each element: {"resource": r, "path": [... to the rule], "cidr_path": [... to the CIDR attribute]}.
aws_public_ingress(port) := {m |
	some r in resources("aws_security_group")
	ingress := value(r, ["ingress"], [])
	is_array(ingress)
	some i, rule in ingress
	some attr in ["cidr_blocks", "ipv6_cidr_blocks"]
	cidrs_public(object.get(rule, attr, []))
	_aws_rule_allows(object.get(rule, "protocol", ""), object.get(rule, "from_port", 0), object.get(rule, "to_port", 0), port)
	path := array.concat(r.path, ["ingress", i])
	m := {"resource": r, "path": path, "cidr_path": array.concat(path, [attr])}
} | {m |
	some r in resources("aws_security_group_rule")
	value(r, ["type"], "") == "ingress"
	some attr in ["cidr_blocks", "ipv6_cidr_blocks"]
	cidrs_public(value(r, [attr], []))
	_aws_rule_allows(value(r, ["protocol"], ""), value(r, ["from_port"], 0), value(r, ["to_port"], 0), port)
	m := {"resource": r, "path": r.path, "cidr_path": array.concat(r.path, [attr])}
} | {m |
	some r in resources("aws_vpc_security_group_ingress_rule")
	some attr in ["cidr_ipv4", "cidr_ipv6"]
	value(r, [attr], "") in public_cidrs
	_aws_rule_allows(value(r, ["ip_protocol"], ""), value(r, ["from_port"], 0), value(r, ["to_port"], 0), port)
	m := {"resource": r, "path": r.path, "cidr_path": array.concat(r.path, [attr])}
}

_all_protocols := {"-1", "all", -1}

_aws_rule_allows(protocol, _, _, _) if protocol in _all_protocols

_aws_rule_allows(protocol, from, to, port) if {
	is_number(port)
	lower(sprintf("%v", [protocol])) in {"tcp", "6"}
	port_in_range(port, from, to)
}

_aws_rule_allows(protocol, from, to, "all") if {
	not protocol in _all_protocols
	_number(from) <= 0
	_number(to) >= 65535
}
