package railyard.terraform.aws.cloudtrail_log_validation_test

import data.railyard.terraform.aws.cloudtrail_log_validation as ct

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_validation_off_denied if {
	count(ct.deny) == 1 with input as plan("aws_cloudtrail", {"enable_log_file_validation": false})
}

test_validation_on_passes if {
	count(ct.deny) == 0 with input as hcl("aws_cloudtrail", {"enable_log_file_validation": true})
}
