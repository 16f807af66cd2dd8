# METADATA
# title: S3 public access block missing or incomplete
# description: Without all four public access block settings, a future ACL or bucket policy can make the bucket's objects public.
# custom:
#   id: TF-AWS-003
#   severity: high
#   remediation: Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.s3_public_access_block

import data.railyard.terraform as tf

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains {"msg": msg, "path": array.concat(r.path, [s])} if {
	some type in ["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"]
	some r in tf.resources(type)
	some s in settings
	not tf.is_unknown(r, [s])
	not tf.value(r, [s], false) == true
	msg := sprintf("%s does not set %s to true", [tf.label(r), s])
}

blocks := tf.resources("aws_s3_bucket_public_access_block")

account_blocks := tf.resources("aws_s3_account_public_access_block")

blocked(r) if {
	some b in blocks
	tf.refers_to(b, r)
}

# A bucket with no public access block of its own (plans only: in .tf files
# the block may be declared in another file).
warn contains {"msg": msg, "path": r.path} if {
	data.railyard.terraform.is_plan
	some r in tf.resources("aws_s3_bucket")
	not blocked(r)
	count(account_blocks) == 0
	msg := sprintf("%s has no aws_s3_bucket_public_access_block", [tf.label(r)])
}
