# METADATA
# title: Missing limits
# custom:
#   id: LOC-MISSING
#   severity: low
#   remediation: Set resources.limits.
package tests.locations.missing

# A field that does not exist: the finding points at its nearest existing
# ancestor (`resources:` when present, else the container item).
warn contains {
	"msg": sprintf("container %q has no limits", [c.name]),
	"path": ["spec", "containers", i, "resources", "limits"],
} if {
	some i, c in input.spec.containers
	not c.resources.limits
}
