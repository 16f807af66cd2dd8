package railyard.kubernetes.service_node_port_test

import data.railyard.kubernetes.service_node_port

service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"type": type, "ports": [{"port": 80}]}}

test_cluster_ip_and_load_balancer_pass if {
	count(service_node_port.warn) == 0 with input as service("ClusterIP")
	count(service_node_port.warn) == 0 with input as service("LoadBalancer")
}

test_node_port_warned if {
	findings := service_node_port.warn with input as service("NodePort")
	findings == {{"msg": `Service "web" is of type NodePort`, "path": ["spec", "type"]}}
}
