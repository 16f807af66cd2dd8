# METADATA
# title: High
# custom:
#   id: AUTH-SEV-HIGH
#   severity: high
package authoring.severity.high

deny contains "high finding" if input.high
