package railyard.terraform.aws.s3_encryption_test

import data.railyard.terraform.aws.s3_encryption

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_unencrypted_bucket_denied if {
	s3_encryption.deny == {{"msg": "aws_s3_bucket.r has no server-side encryption configuration", "path": ["resource_changes", 0, "change", "after"]}} with input as plan("aws_s3_bucket", {"bucket": "b"})
}

test_inline_encryption_passes if {
	count(s3_encryption.deny) == 0 with input as plan("aws_s3_bucket", {"server_side_encryption_configuration": [{"rule": [{}]}]})
}

test_separate_encryption_resource_passes if {
	p := {"format_version": "1.2", "resource_changes": [
		{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "logs"}, "after_unknown": {}}},
		{"address": "aws_s3_bucket_server_side_encryption_configuration.e", "mode": "managed", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "e", "change": {"actions": ["create"], "after": {}, "after_unknown": {"bucket": true}}},
	], "configuration": {"root_module": {"resources": [
		{"address": "aws_s3_bucket_server_side_encryption_configuration.e", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "e", "expressions": {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}},
	]}}}
	count(s3_encryption.deny) == 0 with input as p
}
