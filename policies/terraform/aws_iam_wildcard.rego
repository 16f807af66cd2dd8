# METADATA
# title: IAM policy allows every action on every resource
# description: A statement with Effect Allow, Action "*" and Resource "*" is full administrator access.
# custom:
#   id: TF-AWS-009
#   severity: critical
#   remediation: Grant only the actions and resources the principal needs; replace Action "*" and Resource "*" with specific ones.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.iam_wildcard

import data.railyard.terraform as tf

policy_types := {
	"aws_iam_policy",
	"aws_iam_role_policy",
	"aws_iam_user_policy",
	"aws_iam_group_policy",
}

deny contains {"msg": msg, "path": array.concat(r.path, ["policy"])} if {
	some type in policy_types
	some r in tf.resources(type)
	text := tf.value(r, ["policy"], "")
	is_string(text)
	json.is_valid(text)
	some statement in statements(json.unmarshal(text))
	admin(statement)
	msg := sprintf("%s allows Action \"*\" on Resource \"*\"", [tf.label(r)])
}

statements(doc) := doc.Statement if is_array(doc.Statement)

statements(doc) := [doc.Statement] if is_object(doc.Statement)

admin(s) if {
	is_object(s)
	s.Effect == "Allow"
	"*" in as_list(s.Action)
	"*" in as_list(s.Resource)
}

as_list(x) := x if is_array(x)

as_list(x) := [x] if is_string(x)
