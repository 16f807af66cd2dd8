# METADATA
# title: LoadBalancer Service
# description: A Service of type LoadBalancer usually provisions a cloud load balancer reachable from the internet, with its own cost; expose applications through an Ingress or Gateway, or restrict the source ranges.
# custom:
#   id: K8S-SVC-001
#   severity: medium
#   remediation: Use type ClusterIP behind an Ingress or Gateway, or make the load balancer internal and set spec.loadBalancerSourceRanges.
#   targets: [Service]
package railyard.kubernetes.service_load_balancer


warn contains {"msg": msg, "path": ["spec", "type"]} if {
	input.spec.type == "LoadBalancer"
	msg := sprintf("%s is of type LoadBalancer", [data.railyard.kubernetes.input_resource_label])
}
