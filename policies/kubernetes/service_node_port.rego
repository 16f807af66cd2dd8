# METADATA
# title: NodePort Service
# description: A Service of type NodePort opens the same port on every node, bypassing load balancers and often firewalls, from a small shared port range.
# custom:
#   id: K8S-SVC-002
#   severity: low
#   remediation: Use type ClusterIP behind an Ingress or Gateway (or a LoadBalancer) instead of NodePort.
#   targets: [Service]
package railyard.kubernetes.service_node_port


warn contains {"msg": msg, "path": ["spec", "type"]} if {
	input.spec.type == "NodePort"
	msg := sprintf("%s is of type NodePort", [data.railyard.kubernetes.input_resource_label])
}
