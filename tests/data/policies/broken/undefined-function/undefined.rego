package tests.broken.undefined

# Calls a function that exists nowhere: OPA rejects this at compile time
# (rego_type_error: undefined function).
deny contains msg if {
	msg := no_such_function(input.kind)
}
