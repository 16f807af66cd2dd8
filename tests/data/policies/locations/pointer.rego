# METADATA
# title: Owner annotation
# custom:
#   id: LOC-POINTER
#   severity: medium
#   remediation: Remove the owner annotation.
package tests.locations.pointer

# The path as a JSON pointer string, with an escaped `/` (~1) in a key.
deny contains {
	"msg": "owner annotation set",
	"path": "/metadata/annotations/example.com~1owner",
} if input.metadata.annotations["example.com/owner"]

# A pointer into an array.
deny contains {
	"id": "LOC-POINTER-IMAGE",
	"msg": "first image",
	"path": "/spec/containers/0/image",
} if input.spec.containers[0].image
