# METADATA
# title: Security group open to the Internet on RDP (port 3389)
# description: An ingress rule from 0.0.0.0/0 or ::/0 on RDP (port 3389) exposes the service to the whole Internet.
# custom:
#   id: CFN-EC2-002
#   severity: high
#   remediation: Restrict CidrIp to known networks, or use AWS Systems Manager Session Manager instead of open RDP (port 3389).
#   targets: [cloudformation]
package railyard.cloudformation.sg_rdp_open

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": m.path} if {
	some m in cfn.public_ingress(3389)
	msg := sprintf("%s allows RDP (port 3389) from the Internet", [cfn.label(m.resource)])
}
