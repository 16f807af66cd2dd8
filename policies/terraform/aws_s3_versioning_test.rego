package railyard.terraform.aws.s3_versioning_test

import data.railyard.terraform.aws.s3_versioning

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_unversioned_bucket_denied if {
	count(s3_versioning.deny) == 1 with input as plan("aws_s3_bucket", {"bucket": "b", "versioning": [{"enabled": false}]})
}

test_inline_versioning_passes if {
	count(s3_versioning.deny) == 0 with input as plan("aws_s3_bucket", {"versioning": [{"enabled": true}]})
}

test_separate_versioning_by_bucket_name_passes if {
	p := {"format_version": "1.2", "resource_changes": [
		{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "logs"}, "after_unknown": {}}},
		{"address": "aws_s3_bucket_versioning.v", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "v", "change": {"actions": ["create"], "after": {"bucket": "logs", "versioning_configuration": [{"status": "Enabled"}]}, "after_unknown": {}}},
	]}
	count(s3_versioning.deny) == 0 with input as p
}
