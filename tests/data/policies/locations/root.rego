# METADATA
# title: First key
# custom:
#   id: LOC-ROOT
#   severity: info
#   remediation: Nothing to do; this rule points at apiVersion.
package tests.locations.root

# A path to a top-level key, which sits on the first line of the files that
# start with it (after a byte-order mark, if any).
warn contains {"msg": "apiVersion seen", "path": ["apiVersion"]} if input.apiVersion
