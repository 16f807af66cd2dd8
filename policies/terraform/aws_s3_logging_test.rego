package railyard.terraform.aws.s3_logging_test

import data.railyard.terraform.aws.s3_logging

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_bucket_without_logging_warned if {
	count(s3_logging.warn) == 1 with input as plan("aws_s3_bucket", {"bucket": "b", "logging": []})
}

test_bucket_with_inline_logging_passes if {
	count(s3_logging.warn) == 0 with input as plan("aws_s3_bucket", {"logging": [{"target_bucket": "logs"}]})
}
