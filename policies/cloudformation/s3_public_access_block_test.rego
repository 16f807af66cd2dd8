package railyard.cloudformation.s3_public_access_block_test

import data.railyard.cloudformation.s3_public_access_block as pab

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

all_true := {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": "true"}

test_missing_denied if {
	count(pab.deny) == 1 with input as tpl("AWS::S3::Bucket", {})
}

test_partial_denied if {
	findings := pab.deny with input as tpl("AWS::S3::Bucket", {"PublicAccessBlockConfiguration": object.union(all_true, {"BlockPublicPolicy": false})})
	{f.path | some f in findings} == {["Resources", "R", "Properties", "PublicAccessBlockConfiguration", "BlockPublicPolicy"]}
}

test_complete_passes if {
	count(pab.deny) == 0 with input as tpl("AWS::S3::Bucket", {"PublicAccessBlockConfiguration": all_true})
}

test_intrinsic_setting_passes if {
	count(pab.deny) == 0 with input as tpl("AWS::S3::Bucket", {"PublicAccessBlockConfiguration": object.union(all_true, {"BlockPublicAcls": {"Ref": "Block"}})})
}
