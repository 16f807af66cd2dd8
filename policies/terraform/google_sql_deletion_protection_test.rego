package railyard.terraform.google.sql_deletion_protection_test

import data.railyard.terraform.google.sql_deletion_protection as dp

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_protection_off_denied if {
	count(dp.deny) == 1 with input as plan("google_sql_database_instance", {"deletion_protection": false})
}

test_default_passes if {
	count(dp.deny) == 0 with input as hcl("google_sql_database_instance", {"database_version": "POSTGRES_15"})
}
