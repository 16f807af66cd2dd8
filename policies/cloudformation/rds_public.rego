# METADATA
# title: RDS database publicly accessible
# description: A publicly accessible database gets a public IP address; only its security group stands between it and the Internet.
# custom:
#   id: CFN-RDS-002
#   severity: critical
#   remediation: 'Set PubliclyAccessible: false and reach the database from inside the VPC.'
#   targets: [cloudformation]
package railyard.cloudformation.rds_public

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["PubliclyAccessible"])} if {
	some type in ["AWS::RDS::DBInstance"]
	some r in cfn.resources(type)
	v := cfn.property(r, ["PubliclyAccessible"], false)
	not cfn.is_unknown(v)
	cfn.is_true(v)
	msg := sprintf("%s is publicly accessible", [cfn.label(r)])
}
