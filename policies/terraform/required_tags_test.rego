package railyard.terraform.required_tags_test

import data.railyard.terraform.required_tags

plan(type, after) := {"format_version": "1.2", "resource_changes": [{
	"address": sprintf("%s.r", [type]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

hcl(type, body) := {"resource": {type: {"r": [body]}}}

test_untagged_bucket_warned if {
	required_tags.warn == {{"msg": "aws_s3_bucket.r is missing the tag(s) Owner", "path": ["resource_changes", 0, "change", "after", "tags"]}} with input as plan("aws_s3_bucket", {"tags": null})
}

test_default_tags_count if {
	count(required_tags.warn) == 0 with input as plan("aws_s3_bucket", {"tags": null, "tags_all": {"owner": "team-a"}})
}

test_configured_tags if {
	findings := required_tags.warn with input as plan("azurerm_resource_group", {"tags": {"Owner": "a"}})
		with data.railyard.config.required_tags as ["Owner", "CostCenter"]
	{f.msg | some f in findings} == {"azurerm_resource_group.r is missing the tag(s) CostCenter"}
}

test_resources_without_tags_are_skipped if {
	count(required_tags.warn) == 0 with input as plan("aws_iam_role_policy", {"policy": "{}"})
}
