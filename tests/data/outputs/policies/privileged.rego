# METADATA
# title: Privileged containers
# description: A privileged container has every capability of the host.
# custom:
#   id: OUT-001
#   severity: high
#   remediation: Set securityContext.privileged to false.
#   targets: [Pod, Deployment]
package outputs.privileged

import data.railyard.kubernetes as k8s

deny contains {
	"msg": sprintf("container %q is privileged: 100%% of the host, no isolation", [c.container.name]),
	"path": array.concat(c.path, ["securityContext", "privileged"]),
} if {
	some c in k8s.containers(input)
	c.container.securityContext.privileged == true
}
