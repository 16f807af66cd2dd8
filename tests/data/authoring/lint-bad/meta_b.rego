# METADATA
# title: Second
# custom:
#   id: AUTH-DUP
#   severity: severe
package authoring.meta_b

deny contains "b" if input.b
