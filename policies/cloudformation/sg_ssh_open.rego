# METADATA
# title: Security group open to the Internet on SSH (port 22)
# description: An ingress rule from 0.0.0.0/0 or ::/0 on SSH (port 22) exposes the service to the whole Internet.
# custom:
#   id: CFN-EC2-001
#   severity: high
#   remediation: Restrict CidrIp to known networks, or use AWS Systems Manager Session Manager instead of open SSH (port 22).
#   targets: [cloudformation]
package railyard.cloudformation.sg_ssh_open

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": m.path} if {
	some m in cfn.public_ingress(22)
	msg := sprintf("%s allows SSH (port 22) from the Internet", [cfn.label(m.resource)])
}
