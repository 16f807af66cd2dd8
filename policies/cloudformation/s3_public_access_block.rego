# METADATA
# title: S3 public access block missing or incomplete
# description: Without all four settings, a later ACL or bucket policy can make the bucket's objects public.
# custom:
#   id: CFN-S3-003
#   severity: high
#   remediation: Set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets all true.
#   targets: [cloudformation]
package railyard.cloudformation.s3_public_access_block

import data.railyard.cloudformation as cfn

settings := ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]

deny contains {"msg": msg, "path": array.concat(r.path, ["PublicAccessBlockConfiguration"])} if {
	some r in cfn.resources("AWS::S3::Bucket")
	not r.properties.PublicAccessBlockConfiguration
	msg := sprintf("%s has no PublicAccessBlockConfiguration", [cfn.label(r)])
}

deny contains {"msg": msg, "path": array.concat(r.path, ["PublicAccessBlockConfiguration", s])} if {
	some r in cfn.resources("AWS::S3::Bucket")
	config := r.properties.PublicAccessBlockConfiguration
	not cfn.is_unknown(config)
	some s in settings
	v := object.get(config, s, false)
	not cfn.is_unknown(v)
	not cfn.is_true(v)
	msg := sprintf("%s does not set %s to true", [cfn.label(r), s])
}
