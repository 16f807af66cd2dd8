# METADATA
# title: S3 bucket versioning not enabled
# description: Versioning keeps overwritten and deleted objects recoverable.
# custom:
#   id: CFN-S3-004
#   severity: medium
#   remediation: 'Set VersioningConfiguration: {Status: Enabled}.'
#   targets: [cloudformation]
package railyard.cloudformation.s3_versioning

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["VersioningConfiguration"])} if {
	some r in cfn.resources("AWS::S3::Bucket")
	status := cfn.property(r, ["VersioningConfiguration", "Status"], "Suspended")
	not cfn.unknown_at(r, ["VersioningConfiguration", "Status"])
	status != "Enabled"
	msg := sprintf("%s does not have versioning enabled", [cfn.label(r)])
}
