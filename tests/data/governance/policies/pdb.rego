# METADATA
# title: Every Deployment has a PodDisruptionBudget
# description: >-
#   Needs the whole run (`--combine`): input is an array of
#   {path, document, contents}, and the path of a finding starts with the
#   index of the document it is about.
# custom:
#   id: GOV-PDB
#   severity: medium
#   remediation: Add a PodDisruptionBudget whose selector matches the Deployment's pod labels.
package governance.pdb

deny contains {"msg": msg, "path": [i, "contents", "spec", "selector"]} if {
	is_array(input)
	some i
	deployment := input[i].contents
	deployment.kind == "Deployment"
	not covered(deployment)
	msg := sprintf("Deployment %s has no PodDisruptionBudget", [deployment.metadata.name])
}

covered(deployment) if {
	some entry in input
	pdb := entry.contents
	pdb.kind == "PodDisruptionBudget"
	object.get(pdb.metadata, "namespace", "default") == object.get(deployment.metadata, "namespace", "default")
	every key, value in pdb.spec.selector.matchLabels {
		deployment.spec.template.metadata.labels[key] == value
	}
}
