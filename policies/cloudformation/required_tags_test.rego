package railyard.cloudformation.required_tags_test

import data.railyard.cloudformation.required_tags

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_missing_owner_warned if {
	count(required_tags.warn) == 1 with input as tpl("AWS::S3::Bucket", {"Tags": [{"Key": "Name", "Value": "x"}]})
}

test_owner_present_passes if {
	count(required_tags.warn) == 0 with input as tpl("AWS::S3::Bucket", {"Tags": [{"Key": "owner", "Value": "x"}]})
}

test_configured_tags if {
	count(required_tags.warn) == 1 with input as tpl("AWS::S3::Bucket", {"Tags": [{"Key": "Owner", "Value": "x"}]})
		with data.railyard.config.required_tags as ["Owner", "CostCenter"]
}
