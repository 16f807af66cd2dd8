package railyard.terraform.aws.iam_wildcard_test

import data.railyard.terraform.aws.iam_wildcard

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

admin := json.marshal({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["*"]}]})

scoped := json.marshal({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}})

test_admin_policy_denied if {
	iam_wildcard.deny == {{"msg": "aws_iam_policy.r allows Action \"*\" on Resource \"*\"", "path": ["resource_changes", 0, "change", "after", "policy"]}} with input as plan("aws_iam_policy", {"policy": admin})
}

test_scoped_policy_passes if {
	count(iam_wildcard.deny) == 0 with input as plan("aws_iam_role_policy", {"policy": scoped})
}

test_hcl_jsonencode_is_unknown if {
	count(iam_wildcard.deny) == 0 with input as hcl("aws_iam_policy", {"policy": "${jsonencode({})}"})
}
