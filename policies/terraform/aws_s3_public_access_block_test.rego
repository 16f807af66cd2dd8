package railyard.terraform.aws.s3_public_access_block_test

import data.railyard.terraform.aws.s3_public_access_block as pab

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

all_true := {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}

test_complete_block_passes if {
	count(pab.deny) == 0 with input as plan("aws_s3_bucket_public_access_block", all_true)
}

test_false_setting_denied if {
	findings := pab.deny with input as plan("aws_s3_bucket_public_access_block", object.union(all_true, {"block_public_policy": false}))
	{f.path | some f in findings} == {["resource_changes", 0, "change", "after", "block_public_policy"]}
}

test_hcl_missing_setting_denied if {
	count(pab.deny) == 1 with input as hcl("aws_s3_bucket_public_access_block", object.remove(all_true, ["ignore_public_acls"]))
}

test_bucket_without_block_warned if {
	count(pab.warn) == 1 with input as plan("aws_s3_bucket", {"bucket": "b"})
}
