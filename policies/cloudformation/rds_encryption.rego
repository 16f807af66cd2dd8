# METADATA
# title: RDS storage not encrypted
# description: Unencrypted database storage, snapshots and backups can be read by anyone who gets hold of them.
# custom:
#   id: CFN-RDS-001
#   severity: high
#   remediation: 'Set StorageEncrypted: true (with KmsKeyId for a customer managed key).'
#   targets: [cloudformation]
package railyard.cloudformation.rds_encryption

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["StorageEncrypted"])} if {
	some type in ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]
	some r in cfn.resources(type)
	v := cfn.property(r, ["StorageEncrypted"], false)
	not cfn.is_unknown(v)
	not cfn.is_true(v)
	not r.properties.DBClusterIdentifier
	not r.properties.SourceDBInstanceIdentifier
	msg := sprintf("%s does not encrypt its storage", [cfn.label(r)])
}
