# METADATA
# title: S3 bucket without default encryption
# description: Explicit default encryption documents how objects are encrypted and lets you choose a key you control.
# custom:
#   id: CFN-S3-002
#   severity: medium
#   remediation: Add BucketEncryption with a ServerSideEncryptionConfiguration (aws:kms with a customer managed key for sensitive data).
#   targets: [cloudformation]
package railyard.cloudformation.s3_encryption

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": r.path} if {
	some r in cfn.resources("AWS::S3::Bucket")
	not r.properties.BucketEncryption
	msg := sprintf("%s has no BucketEncryption", [cfn.label(r)])
}
