package railyard.cloudformation.s3_public_acl_test

import data.railyard.cloudformation.s3_public_acl

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_public_read_denied if {
	s3_public_acl.deny == {{"msg": "AWS::S3::Bucket \"R\" has the public ACL PublicRead", "path": ["Resources", "R", "Properties", "AccessControl"]}} with input as tpl("AWS::S3::Bucket", {"AccessControl": "PublicRead"})
}

test_private_passes if {
	count(s3_public_acl.deny) == 0 with input as tpl("AWS::S3::Bucket", {"AccessControl": "Private"})
}
