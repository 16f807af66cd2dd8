package railyard.terraform.google.sql_public_test

import data.railyard.terraform.google.sql_public

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

settings(value) := {"settings": [{"ip_configuration": [{"ipv4_enabled": true, "authorized_networks": [{"name": "n", "value": value}]}]}]}

test_open_instance_denied if {
	count(sql_public.deny) == 1 with input as plan("google_sql_database_instance", settings("0.0.0.0/0"))
}

test_office_network_passes if {
	count(sql_public.deny) == 0 with input as hcl("google_sql_database_instance", settings("203.0.113.0/24"))
}
