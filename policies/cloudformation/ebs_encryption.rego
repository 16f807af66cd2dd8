# METADATA
# title: EBS volume not encrypted
# description: Unencrypted EBS volumes and their snapshots expose the data to anyone who can copy or share them.
# custom:
#   id: CFN-EBS-001
#   severity: high
#   remediation: 'Set Encrypted: true on the volume (or turn on EBS encryption by default for the account).'
#   targets: [cloudformation]
package railyard.cloudformation.ebs_encryption

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["Encrypted"])} if {
	some type in ["AWS::EC2::Volume"]
	some r in cfn.resources(type)
	v := cfn.property(r, ["Encrypted"], false)
	not cfn.is_unknown(v)
	not cfn.is_true(v)
	msg := sprintf("%s is not encrypted", [cfn.label(r)])
}
