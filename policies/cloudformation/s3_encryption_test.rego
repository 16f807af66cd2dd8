package railyard.cloudformation.s3_encryption_test

import data.railyard.cloudformation.s3_encryption

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_unencrypted_denied if {
	count(s3_encryption.deny) == 1 with input as tpl("AWS::S3::Bucket", {})
}

test_encrypted_passes if {
	count(s3_encryption.deny) == 0 with input as tpl("AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}})
}
