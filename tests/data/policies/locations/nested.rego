# METADATA
# title: Privileged container
# custom:
#   id: LOC-NESTED
#   severity: high
#   remediation: Set securityContext.privileged to false.
package tests.locations.nested

# A nested field that exists: the finding points at `privileged: <value>`.
deny contains {
	"msg": sprintf("container %q is privileged", [c.name]),
	"path": ["spec", "containers", i, "securityContext", "privileged"],
} if {
	some i, c in input.spec.containers
	c.securityContext.privileged == true
}
