package railyard.cloudformation.rds_deletion_protection_test

import data.railyard.cloudformation.rds_deletion_protection as rule

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_bad_value_denied if {
	findings := rule.deny with input as tpl("AWS::RDS::DBCluster", {"DeletionProtection": false})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "DeletionProtection"]}
}

test_good_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::RDS::DBCluster", {"DeletionProtection": true})
}

test_intrinsic_value_passes if {
	count(rule.deny) == 0 with input as tpl("AWS::RDS::DBCluster", {"DeletionProtection": {"Ref": "Param"}})
}
