# METADATA
# title: Security group open to the Internet on all ports
# description: An ingress rule from 0.0.0.0/0 or ::/0 on all ports exposes the service to the whole Internet.
# custom:
#   id: TF-AWS-008
#   severity: high
#   remediation: Restrict the rule's CIDR blocks to known networks (a VPN or bastion range), or use AWS Systems Manager Session Manager instead of open all ports.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.sg_all_ports_open

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": m.cidr_path} if {
	some m in tf.aws_public_ingress("all")
	msg := sprintf("%s allows all ports from the Internet", [tf.label(m.resource)])
}
