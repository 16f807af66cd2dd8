package railyard.cloudformation.iam_wildcard_test

import data.railyard.cloudformation.iam_wildcard

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_admin_role_policy_denied if {
	findings := iam_wildcard.deny with input as tpl("AWS::IAM::Role", {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0]}
}

test_scoped_managed_policy_passes if {
	count(iam_wildcard.deny) == 0 with input as tpl("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}}})
}
