# METADATA
# title: Security group open to the Internet on RDP (port 3389)
# description: An ingress rule from 0.0.0.0/0 or ::/0 on RDP (port 3389) exposes the service to the whole Internet.
# custom:
#   id: TF-AWS-007
#   severity: high
#   remediation: Restrict the rule's CIDR blocks to known networks (a VPN or bastion range), or use AWS Systems Manager Session Manager instead of open RDP (port 3389).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.sg_rdp_open

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": m.cidr_path} if {
	some m in tf.aws_public_ingress(3389)
	msg := sprintf("%s allows RDP (port 3389) from the Internet", [tf.label(m.resource)])
}
