package railyard.cloudformation.rds_public_test

import data.railyard.cloudformation.rds_public as rule

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_bad_value_denied if {
	findings := rule.deny with input as tpl("AWS::RDS::DBInstance", {"PubliclyAccessible": true})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "PubliclyAccessible"]}
}

test_good_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::RDS::DBInstance", {"PubliclyAccessible": false})
}

test_intrinsic_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::RDS::DBInstance", {"PubliclyAccessible": {"Ref": "Param"}})
}
