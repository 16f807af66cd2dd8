# METADATA
# title: Every object
# custom:
#   id: LOC-NOPATH
#   severity: info
#   remediation: Nothing to do; this rule reports every object.
package tests.locations.nopath

# No path: the finding points at metadata.name (or the document start).
deny contains sprintf("%v seen", [input.kind]) if input.kind
