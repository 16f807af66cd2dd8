package railyard.kubernetes.service_load_balancer_test

import data.railyard.kubernetes.service_load_balancer

service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"type": type, "ports": [{"port": 80}]}}

test_cluster_ip_passes if {
	count(service_load_balancer.warn) == 0 with input as service("ClusterIP")
	count(service_load_balancer.warn) == 0 with input as {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
}

test_load_balancer_warned if {
	findings := service_load_balancer.warn with input as service("LoadBalancer")
	findings == {{"msg": `Service "web" is of type LoadBalancer`, "path": ["spec", "type"]}}
}
