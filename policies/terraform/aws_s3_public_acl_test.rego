package railyard.terraform.aws.s3_public_acl_test

import data.railyard.terraform.aws.s3_public_acl

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.b", [type]), "mode": "managed", "type": type, "name": "b",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

test_private_bucket_passes if {
	count(s3_public_acl.deny) == 0 with input as plan("aws_s3_bucket", {"bucket": "b", "acl": "private"})
}

test_public_read_bucket_denied if {
	s3_public_acl.deny == {{"msg": `aws_s3_bucket.b has the public ACL "public-read"`, "path": ["resource_changes", 0, "change", "after", "acl"]}} with input as plan("aws_s3_bucket", {"acl": "public-read"})
}

test_public_bucket_acl_resource_denied if {
	count(s3_public_acl.deny) == 1 with input as plan("aws_s3_bucket_acl", {"acl": "public-read-write"})
}

test_hcl_public_acl_denied if {
	findings := s3_public_acl.deny with input as {"resource": {"aws_s3_bucket": {"b": [{"acl": "public-read"}]}}}
	{f.path | some f in findings} == {["resource", "aws_s3_bucket", "b", 0, "acl"]}
}

test_hcl_variable_acl_passes if {
	count(s3_public_acl.deny) == 0 with input as {"resource": {"aws_s3_bucket": {"b": [{"acl": "${var.acl}"}]}}}
}
