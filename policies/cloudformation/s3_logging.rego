# METADATA
# title: S3 bucket access logging off
# description: Server access logs record who read and changed objects, for audits and incident response.
# custom:
#   id: CFN-S3-005
#   severity: low
#   remediation: Set LoggingConfiguration with a DestinationBucketName for access logs.
#   targets: [cloudformation]
package railyard.cloudformation.s3_logging

import data.railyard.cloudformation as cfn

warn contains {"msg": msg, "path": r.path} if {
	some r in cfn.resources("AWS::S3::Bucket")
	not r.properties.LoggingConfiguration
	msg := sprintf("%s has no access logging", [cfn.label(r)])
}
