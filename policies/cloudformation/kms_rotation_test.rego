package railyard.cloudformation.kms_rotation_test

import data.railyard.cloudformation.kms_rotation as rule

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_bad_value_denied if {
	findings := rule.deny with input as tpl("AWS::KMS::Key", {"EnableKeyRotation": false})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "EnableKeyRotation"]}
}

test_good_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::KMS::Key", {"EnableKeyRotation": true})
}

test_intrinsic_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::KMS::Key", {"EnableKeyRotation": {"Ref": "Param"}})
}
