# METADATA
# title: RDS deletion protection off
# description: Without deletion protection, deleting the stack (or a replacement) deletes the database.
# custom:
#   id: CFN-RDS-003
#   severity: medium
#   remediation: 'Set DeletionProtection: true on production databases.'
#   targets: [cloudformation]
package railyard.cloudformation.rds_deletion_protection

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["DeletionProtection"])} if {
	some type in ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]
	some r in cfn.resources(type)
	v := cfn.property(r, ["DeletionProtection"], false)
	not cfn.is_unknown(v)
	not cfn.is_true(v)
	not r.properties.DBClusterIdentifier
	msg := sprintf("%s has no deletion protection", [cfn.label(r)])
}
