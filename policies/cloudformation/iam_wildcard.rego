# METADATA
# title: IAM policy allows every action on every resource
# description: A statement with Effect Allow, Action "*" and Resource "*" is full administrator access.
# custom:
#   id: CFN-IAM-001
#   severity: critical
#   remediation: Grant only the actions and resources the principal needs; replace Action "*" and Resource "*" with specific ones.
#   targets: [cloudformation]
package railyard.cloudformation.iam_wildcard

import data.railyard.cloudformation as cfn

# Policy documents: AWS::IAM::Policy and ManagedPolicy have one; roles, users
# and groups have a list of inline Policies.
documents contains {"resource": r, "document": r.properties.PolicyDocument, "path": array.concat(r.path, ["PolicyDocument"])} if {
	some type in ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"]
	some r in cfn.resources(type)
	is_object(r.properties.PolicyDocument)
}

documents contains {"resource": r, "document": p.PolicyDocument, "path": array.concat(r.path, ["Policies", i, "PolicyDocument"])} if {
	some type in ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]
	some r in cfn.resources(type)
	policies := cfn.property(r, ["Policies"], [])
	is_array(policies)
	some i, p in policies
	is_object(p)
	is_object(p.PolicyDocument)
}

deny contains {"msg": msg, "path": array.concat(d.path, ["Statement", i])} if {
	some d in documents
	is_object(d.document)
	statements := as_list(d.document.Statement)
	some i, s in statements
	is_object(s)
	s.Effect == "Allow"
	"*" in as_list(s.Action)
	"*" in as_list(s.Resource)
	msg := sprintf("%s allows Action \"*\" on Resource \"*\"", [cfn.label(d.resource)])
}

as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)
