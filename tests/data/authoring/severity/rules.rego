# METADATA
# title: Low
# custom:
#   id: AUTH-SEV-LOW
#   severity: low
package authoring.severity.low

deny contains "low finding" if input.low
