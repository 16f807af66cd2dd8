package railyard.terraform.google.firewall_open_test

import data.railyard.terraform.google.firewall_open

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_ssh_from_anywhere_denied if {
	findings := firewall_open.deny with input as plan("google_compute_firewall", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22", "80"]}]})
	{f.msg | some f in findings} == {"google_compute_firewall.r allows port 22 from the Internet"}
}

test_all_protocols_denied if {
	count(firewall_open.deny) == 1 with input as hcl("google_compute_firewall", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]})
}

test_https_passes if {
	count(firewall_open.deny) == 0 with input as plan("google_compute_firewall", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["443"]}]})
}

test_internal_ssh_passes if {
	count(firewall_open.deny) == 0 with input as plan("google_compute_firewall", {"source_ranges": ["10.0.0.0/8"], "allow": [{"protocol": "tcp", "ports": ["22"]}]})
}
