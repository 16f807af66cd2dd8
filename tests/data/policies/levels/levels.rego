# METADATA
# title: Levels
# custom:
#   id: TEST-LEVELS
#   remediation: Rename the object.
package tests.levels

# A failure for objects named deny-*, a warning for objects named warn-*:
# enough to drive every exit code from the inputs' names alone.
deny contains sprintf("%s is denied", [input.metadata.name]) if {
	startswith(input.metadata.name, "deny-")
}

warn contains sprintf("%s is only warned about", [input.metadata.name]) if {
	startswith(input.metadata.name, "warn-")
}
