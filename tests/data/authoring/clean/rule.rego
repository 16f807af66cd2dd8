# METADATA
# title: Replicas
# custom:
#   id: AUTH-CLEAN-001
#   severity: low
#   remediation: Run at least two replicas.
#   targets: [Deployment]
package authoring.clean

import data.railyard.kubernetes as k8s

warn contains {"msg": sprintf("%s runs one replica", [k8s.input_resource_label]), "path": ["spec", "replicas"]} if {
	input.spec.replicas == 1
}

# Never reached by the tests: coverage must report it.
warn_untested contains "untested" if {
	input.spec.paused == true
}
