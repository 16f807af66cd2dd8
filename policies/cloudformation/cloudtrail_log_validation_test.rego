package railyard.cloudformation.cloudtrail_log_validation_test

import data.railyard.cloudformation.cloudtrail_log_validation as rule

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_bad_value_denied if {
	findings := rule.deny with input as tpl("AWS::CloudTrail::Trail", {"EnableLogFileValidation": false})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "EnableLogFileValidation"]}
}

test_good_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::CloudTrail::Trail", {"EnableLogFileValidation": true})
}

test_intrinsic_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::CloudTrail::Trail", {"EnableLogFileValidation": {"Ref": "Param"}})
}
