# METADATA
# title: Images come from the company registry
# custom:
#   id: GOV-REGISTRY
#   severity: high
#   targets: [Deployment]
package governance.registry

deny_untrusted_registry contains {"msg": msg, "path": ["spec", "template", "spec", "containers", i, "image"]} if {
	some i, container in input.spec.template.spec.containers
	not startswith(container.image, "registry.example.com/")
	msg := sprintf("container %s pulls %s from outside registry.example.com", [container.name, container.image])
}

# Conftest's exception convention: the vendor's agent is mirrored later.
exception contains rules if {
	input.metadata.name == "vendor-agent"
	rules := ["untrusted_registry"]
}
