# METADATA
# title: Security group open to the Internet on all ports
# description: An ingress rule from 0.0.0.0/0 or ::/0 on all ports exposes the service to the whole Internet.
# custom:
#   id: CFN-EC2-003
#   severity: high
#   remediation: Restrict CidrIp to known networks, or use AWS Systems Manager Session Manager instead of open all ports.
#   targets: [cloudformation]
package railyard.cloudformation.sg_all_ports_open

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": m.path} if {
	some m in cfn.public_ingress("all")
	msg := sprintf("%s allows all ports from the Internet", [cfn.label(m.resource)])
}
