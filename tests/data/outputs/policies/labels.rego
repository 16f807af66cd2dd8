# METADATA
# title: Recommended labels
# custom:
#   id: OUT-002
#   severity: low
#   remediation: Add the label app.kubernetes.io/name.
package outputs.labels

warn contains {
	"msg": "label app.kubernetes.io/name is missing\nlabels tell owners, dashboards and policies what a resource is",
	"path": ["metadata", "labels"],
} if {
	input.kind
	not input.metadata.labels["app.kubernetes.io/name"]
}
