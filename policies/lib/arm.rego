# Helpers for Azure Resource Manager (ARM) template policies. The input is the
# template. Resources are found wherever they are declared: the top-level
# `resources` (an array, or in languageVersion 2.0 an object keyed by
# symbolic name), child resources (`resources` inside a resource, whose type
# is relative: `firewallRules` under `Microsoft.Sql/servers`), and the inline
# templates of nested deployments.
#
# Each resource is an entry:
#   {"type": "Microsoft.Storage/storageAccounts",   # full type, as written (case kept)
#    "name": "[parameters('name')]",
#    "properties": {...},                           # {} when absent
#    "resource": {...},
#    "path": ["resources", 0]}                      # to the resource object
# so a finding's path is array.concat(r.path, ["properties", ...]).
#
# Unknown values: a string starting with "[" (and not "[[") is a template
# expression, known only at deployment: ask arm.is_unknown(v) before
# concluding from it.
#
# Usage: `import data.railyard.arm as arm`; call the functions through the
# alias; compare types with arm.resources(type), which ignores case, as Azure does.
package railyard.arm

# all_resources(template): every resource of the template, as entries.
all_resources(template) := {r |
	walk(template, [path, res])
	count(path) >= 2
	path[count(path) - 2] == "resources"
	is_object(res)
	is_string(res.type)
	r := {
		"type": _full_type(template, path, res.type),
		"name": object.get(res, "name", ""),
		"properties": _object_or_empty(object.get(res, "properties", {})),
		"resource": res,
		"path": path,
	}
}

# resources(type): the resources of a type, compared without regard to case.
resources(type) := {r |
	some r in all_resources(input)
	lower(r.type) == lower(type)
}

# A child resource's relative type is appended to its parent's.
_full_type(_, _, type) := type if contains(type, "/")

_full_type(template, path, type) := concat("/", [parent.type, type]) if {
	not contains(type, "/")
	count(path) >= 4
	parent := object.get(template, array.slice(path, 0, count(path) - 2), null)
	is_string(parent.type)
}

_full_type(template, path, type) := type if {
	not contains(type, "/")
	not _has_parent(template, path)
}

_has_parent(template, path) if {
	count(path) >= 4
	parent := object.get(template, array.slice(path, 0, count(path) - 2), null)
	is_string(parent.type)
}

_object_or_empty(x) := x if is_object(x)

_object_or_empty(x) := {} if not is_object(x)

# is_expression(v): v is a template expression ("[parameters('x')]"); "[[" escapes a literal "[".
is_expression(v) if {
	is_string(v)
	startswith(v, "[")
	not startswith(v, "[[")
}

# is_unknown(v): v is only known at deployment (a template expression).
is_unknown(v) if is_expression(v)

# property(r, path, fallback): the value at path below `properties`, or fallback.
property(r, path, fallback) := v if {
	v := object.get(r.properties, path, null)
	v != null
} else := fallback

# unknown_at(r, path): the property at path, or one that contains it, is an expression.
unknown_at(r, path) if {
	some n in numbers.range(1, count(path))
	is_expression(object.get(r.properties, array.slice(path, 0, n), null))
}

# tags(r): the resource's tags object ({} when none or an expression).
tags(r) := t if {
	t := r.resource.tags
	is_object(t)
} else := {}

# label(r): how messages name a resource: `Microsoft.Storage/storageAccounts "[parameters('name')]"`.
label(r) := sprintf("%s %q", [r.type, r.name])
