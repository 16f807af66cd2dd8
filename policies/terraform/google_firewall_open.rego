# METADATA
# title: Firewall rule open to the Internet on SSH, RDP or all ports
# description: An ingress rule from 0.0.0.0/0 that allows port 22, 3389 or every port exposes the instances it targets.
# custom:
#   id: TF-GCP-003
#   severity: high
#   remediation: Restrict source_ranges to known networks, or use Identity-Aware Proxy TCP forwarding (35.235.240.0/20).
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.google.firewall_open

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["source_ranges"])} if {
	some r in tf.resources("google_compute_firewall")
	upper(tf.value(r, ["direction"], "INGRESS")) == "INGRESS"
	tf.cidrs_public(tf.value(r, ["source_ranges"], []))
	allows := tf.value(r, ["allow"], [])
	is_array(allows)
	some allow in allows
	some what in exposed(allow)
	msg := sprintf("%s allows %s from the Internet", [tf.label(r), what])
}

exposed(allow) := {"all ports"} if lower(object.get(allow, "protocol", "")) == "all"

exposed(allow) := {"all ports"} if {
	lower(object.get(allow, "protocol", "")) in {"tcp", "udp"}
	count(ports(allow)) == 0
}

exposed(allow) := {sprintf("port %d", [p]) |
	lower(object.get(allow, "protocol", "")) == "tcp"
	some range in ports(allow)
	some p in [22, 3389]
	covers(range, p)
} if count(ports(allow)) > 0

covers(range, p) if sprintf("%v", [range]) == sprintf("%d", [p])

covers(range, p) if {
	parts := split(sprintf("%v", [range]), "-")
	count(parts) == 2
	tf.port_in_range(p, parts[0], parts[1])
}

ports(allow) := p if {
	p := object.get(allow, "ports", [])
	is_array(p)
} else := []
