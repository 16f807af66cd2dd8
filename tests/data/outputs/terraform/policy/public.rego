# METADATA
# title: Public buckets
# custom:
#   id: OUT-TF-001
#   severity: critical
#   remediation: Make the bucket private.
#   targets: [terraform-plan]
package outputs.terraform

deny contains {
	"msg": sprintf("bucket %s is public", [rc.address]),
	"path": ["resource_changes", i, "change", "after", "acl"],
} if {
	some i, rc in input.resource_changes
	rc.change.after.acl == "public-read"
}
