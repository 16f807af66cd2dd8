# Helpers for CloudFormation policies. The input is the template, with every
# short-form tag in its long form (`!Ref X` is {"Ref": "X"}, `!Sub s` is
# {"Fn::Sub": s}, `!GetAtt A.B` is {"Fn::GetAtt": ["A", "B"]}).
#
# Each resource is an entry:
#   {"logical_id": "LogsBucket", "type": "AWS::S3::Bucket",
#    "properties": {...},                        # {} when absent
#    "resource": {...},                          # the whole resource
#    "path": ["Resources", "LogsBucket", "Properties"]}
# so a finding's path is array.concat(r.path, ["Property", ...]).
#
# Unknown values: a property set with an intrinsic function ({"Ref": ...},
# {"Fn::If": ...}) is only known when the stack is deployed; a rule must not
# fail it. Ask cfn.is_unknown(value) (or cfn.is_known) first.
#
# Usage: `import data.railyard.cloudformation as cfn`; call the functions
# through the alias and read constant sets by their full path (see
# lib/terraform.rego for why).
package railyard.cloudformation

# resources(type): the resources of a type (exact, e.g. "AWS::S3::Bucket").
resources(type) := {r |
	some id, res in object.get(input, "Resources", {})
	is_object(res)
	res.Type == type
	r := {
		"logical_id": id,
		"type": type,
		"properties": _object_or_empty(object.get(res, "Properties", {})),
		"resource": res,
		"path": ["Resources", id, "Properties"],
	}
}

# all_resources: every resource, as entries (a function so that it can be
# called through the alias: all_resources(input)).
all_resources(template) := {r |
	some id, res in object.get(template, "Resources", {})
	is_object(res)
	is_string(res.Type)
	r := {
		"logical_id": id,
		"type": res.Type,
		"properties": _object_or_empty(object.get(res, "Properties", {})),
		"resource": res,
		"path": ["Resources", id, "Properties"],
	}
}

_object_or_empty(x) := x if is_object(x)

_object_or_empty(x) := {} if not is_object(x)

# is_intrinsic(v): v is an intrinsic function call ({"Ref": ...}, {"Fn::...": ...},
# {"Condition": ...}).
is_intrinsic(v) if {
	is_object(v)
	count(v) == 1
	some k, _ in v
	_intrinsic_key(k)
}

_intrinsic_key(k) if k in {"Ref", "Condition"}

_intrinsic_key(k) if startswith(k, "Fn::")

# is_unknown(v): v's value is only known at deployment (an intrinsic function).
is_unknown(v) if is_intrinsic(v)

# is_known(v): v is a literal (defined and not an intrinsic function).
is_known(v) if not is_intrinsic(v)

# property(r, path, fallback): the property at path (array of keys and
# indices) below Properties, or fallback when absent or null.
property(r, path, fallback) := v if {
	v := object.get(r.properties, path, null)
	v != null
} else := fallback

# unknown_at(r, path): the property at path, or one that contains it, is an
# intrinsic function.
unknown_at(r, path) if {
	some n in numbers.range(1, count(path))
	is_intrinsic(object.get(r.properties, array.slice(path, 0, n), null))
}

# is_true(v): a literal true (CloudFormation also accepts the string "true").
is_true(v) if v == true

is_true(v) if {
	is_string(v)
	lower(v) == "true"
}

# is_false(v): a literal false (or the string "false").
is_false(v) if v == false

is_false(v) if {
	is_string(v)
	lower(v) == "false"
}

# tags(r): the resource's Tags as an object {Key: Value} (Tags is a list of
# {"Key", "Value"} on most types, an object on a few); {} when none.
tags(r) := {t.Key: object.get(t, "Value", "") |
	some t in r.properties.Tags
	is_string(t.Key)
} if is_array(r.properties.Tags)

tags(r) := r.properties.Tags if is_object(r.properties.Tags)

tags(r) := {} if not r.properties.Tags

# refers_to(v, id): v is {"Ref": id} or {"Fn::GetAtt": [id, ...]} (or the
# string form "id.Attr").
refers_to(v, id) if v.Ref == id

refers_to(v, id) if v["Fn::GetAtt"][0] == id

refers_to(v, id) if startswith(v["Fn::GetAtt"], concat("", [id, "."]))

# label(r): how messages name a resource: `AWS::S3::Bucket "LogsBucket"`.
label(r) := sprintf("%s %q", [r.type, r.logical_id])

# public_ingress(port): security group ingress rules open to 0.0.0.0/0 or ::/0
# that allow a TCP port (a number), or every port when port is "all"
# (IpProtocol -1, or 0-65535): SecurityGroupIngress entries of
# AWS::EC2::SecurityGroup and AWS::EC2::SecurityGroupIngress resources.
# Each element: {"resource": r, "path": [... to the CIDR property]}.
public_ingress(port) := {m |
	some r in resources("AWS::EC2::SecurityGroup")
	rules := property(r, ["SecurityGroupIngress"], [])
	is_array(rules)
	some i, rule in rules
	some attr in ["CidrIp", "CidrIpv6"]
	object.get(rule, attr, "") in {"0.0.0.0/0", "::/0"}
	_allows(rule, port)
	m := {"resource": r, "path": array.concat(r.path, ["SecurityGroupIngress", i, attr])}
} | {m |
	some r in resources("AWS::EC2::SecurityGroupIngress")
	some attr in ["CidrIp", "CidrIpv6"]
	property(r, [attr], "") in {"0.0.0.0/0", "::/0"}
	_allows(r.properties, port)
	m := {"resource": r, "path": array.concat(r.path, [attr])}
}

_allows(rule, _) if sprintf("%v", [object.get(rule, "IpProtocol", "")]) in {"-1", "all"}

_allows(rule, port) if {
	is_number(port)
	lower(sprintf("%v", [object.get(rule, "IpProtocol", "")])) in {"tcp", "6"}
	_number(object.get(rule, "FromPort", -1)) <= port
	port <= _number(object.get(rule, "ToPort", -1))
}

_allows(rule, "all") if {
	_number(object.get(rule, "FromPort", -1)) <= 0
	_number(object.get(rule, "ToPort", -1)) >= 65535
}

_number(x) := x if is_number(x)

_number(x) := to_number(x) if {
	is_string(x)
	regex.match(`^-?[0-9]+$`, x)
}
