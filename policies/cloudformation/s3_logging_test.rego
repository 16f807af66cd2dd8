package railyard.cloudformation.s3_logging_test

import data.railyard.cloudformation.s3_logging

tpl(type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": type, "Properties": props}}}

test_no_logging_warned if {
	count(s3_logging.warn) == 1 with input as tpl("AWS::S3::Bucket", {})
}

test_logging_passes if {
	count(s3_logging.warn) == 0 with input as tpl("AWS::S3::Bucket", {"LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}}})
}
