# METADATA
# title: S3 bucket with a public ACL
# description: A canned ACL of public-read, public-read-write or authenticated-read lets anyone (or any AWS account) list or write the bucket's objects.
# custom:
#   id: TF-AWS-001
#   severity: high
#   remediation: Use the private ACL (or none, with object ownership BucketOwnerEnforced) and grant access through bucket policies to named principals.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.s3_public_acl

import data.railyard.terraform as tf

public_acls := {"public-read", "public-read-write", "authenticated-read"}

deny contains {"msg": msg, "path": array.concat(r.path, ["acl"])} if {
	some type in ["aws_s3_bucket", "aws_s3_bucket_acl"]
	some r in tf.resources(type)
	acl := tf.value(r, ["acl"], "")
	acl in public_acls
	msg := sprintf("%s has the public ACL %q", [tf.label(r), acl])
}
