package railyard.cloudformation.s3_versioning_test

import data.railyard.cloudformation.s3_versioning

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_unversioned_denied if {
	count(s3_versioning.deny) == 1 with input as tpl("AWS::S3::Bucket", {})
}

test_versioned_passes if {
	count(s3_versioning.deny) == 0 with input as tpl("AWS::S3::Bucket", {"VersioningConfiguration": {"Status": "Enabled"}})
}

test_conditional_status_passes if {
	count(s3_versioning.deny) == 0 with input as tpl("AWS::S3::Bucket", {"VersioningConfiguration": {"Status": {"Fn::If": ["Prod", "Enabled", "Suspended"]}}})
}
