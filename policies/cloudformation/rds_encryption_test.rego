package railyard.cloudformation.rds_encryption_test

import data.railyard.cloudformation.rds_encryption as rule

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_bad_value_denied if {
	findings := rule.deny with input as tpl("AWS::RDS::DBInstance", {"StorageEncrypted": false})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "StorageEncrypted"]}
}

test_good_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::RDS::DBInstance", {"StorageEncrypted": true})
}

test_intrinsic_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::RDS::DBInstance", {"StorageEncrypted": {"Ref": "Param"}})
}
