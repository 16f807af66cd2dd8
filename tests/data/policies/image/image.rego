# METADATA
# title: Image in use
# custom:
#   id: TEST-IMAGE
#   severity: low
#   remediation: Nothing to do; this rule names every container image.
package tests.image

# Names each container's image, so that a test can see which value of a
# duplicated key was kept.
deny contains {
	"msg": sprintf("container %q runs %s", [c.name, c.image]),
	"path": ["spec", "containers", i, "image"],
} if {
	some i, c in input.spec.containers
}
