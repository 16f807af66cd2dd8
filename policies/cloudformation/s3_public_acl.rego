# METADATA
# title: S3 bucket with a public ACL
# description: A canned ACL of PublicRead, PublicReadWrite or AuthenticatedRead lets anyone read (or write) the bucket.
# custom:
#   id: CFN-S3-001
#   severity: high
#   remediation: Remove AccessControl (or set Private) and grant access through a bucket policy to named principals.
#   targets: [cloudformation]
package railyard.cloudformation.s3_public_acl

import data.railyard.cloudformation as cfn

public_acls := {"PublicRead", "PublicReadWrite", "AuthenticatedRead"}

deny contains {"msg": msg, "path": array.concat(r.path, ["AccessControl"])} if {
	some r in cfn.resources("AWS::S3::Bucket")
	acl := cfn.property(r, ["AccessControl"], "")
	acl in public_acls
	msg := sprintf("%s has the public ACL %s", [cfn.label(r), acl])
}
