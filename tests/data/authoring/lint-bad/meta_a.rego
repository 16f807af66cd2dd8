# METADATA
# title: First
# custom:
#   id: AUTH-DUP
#   severity: high
package authoring.meta_a

deny contains "a" if input.a
