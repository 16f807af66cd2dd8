# METADATA
# title: Security group open to the Internet on SSH (port 22)
# description: An ingress rule from 0.0.0.0/0 or ::/0 on SSH (port 22) exposes the service to the whole Internet.
# custom:
#   id: TF-AWS-006
#   severity: high
#   remediation: Restrict the rule's CIDR blocks to known networks (a VPN or bastion range), or use AWS Systems Manager Session Manager instead of open SSH (port 22).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.sg_ssh_open

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": m.cidr_path} if {
	some m in tf.aws_public_ingress(22)
	msg := sprintf("%s allows SSH (port 22) from the Internet", [tf.label(m.resource)])
}
