# METADATA
# title: Default VPC in use
# description: The default VPC has public subnets that give every instance a public IP address; workloads belong in a VPC designed for them.
# custom:
#   id: TF-AWS-015
#   severity: medium
#   remediation: Create a dedicated aws_vpc with private subnets instead of managing the default VPC.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.aws.default_vpc

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": r.path} if {
	some type in ["aws_default_vpc", "aws_default_subnet"]
	some r in tf.resources(type)
	msg := sprintf("%s manages the default VPC", [tf.label(r)])
}
