# METADATA
# title: Deployments run more than one replica
# custom:
#   id: GOV-REPLICAS
#   severity: high
#   targets: [Deployment]
#   remediation: Set spec.replicas to 2 or more.
package governance.replicas

deny contains {"msg": msg, "path": ["spec", "replicas"]} if {
	input.spec.replicas < 2
	msg := sprintf("Deployment %s runs %d replica", [input.metadata.name, input.spec.replicas])
}
