# METADATA
# title: KMS key rotation off
# description: Automatic rotation limits how much data one key version protects.
# custom:
#   id: CFN-KMS-001
#   severity: medium
#   remediation: 'Set EnableKeyRotation: true on symmetric keys.'
#   targets: [cloudformation]
package railyard.cloudformation.kms_rotation

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["EnableKeyRotation"])} if {
	some type in ["AWS::KMS::Key"]
	some r in cfn.resources(type)
	v := cfn.property(r, ["EnableKeyRotation"], false)
	not cfn.is_unknown(v)
	not cfn.is_true(v)
	cfn.property(r, ["KeySpec"], "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
	msg := sprintf("%s does not rotate automatically", [cfn.label(r)])
}
