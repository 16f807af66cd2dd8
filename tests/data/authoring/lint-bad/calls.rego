# METADATA
# title: Calls
# custom:
#   id: AUTH-001
#   severity: high
package authoring.calls

deny contains msg if {
	msg := no_such_helper(input)
}

f(x) := g(x)

g(x) := f(x)
