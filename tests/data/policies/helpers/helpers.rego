# METADATA
# custom:
#   id: TEST-HELPERS
package tests.helpers

import data.railyard.kubernetes as k8s

# README: with -p, the helper library data.railyard.kubernetes is still available
# (only what README shows is used: containers(obj) with .container and .path).
deny contains {
	"msg": sprintf("container %q is privileged", [c.container.name]),
	"path": array.concat(c.path, ["securityContext", "privileged"]),
} if {
	some c in k8s.containers(input)
	c.container.securityContext.privileged == true
}
