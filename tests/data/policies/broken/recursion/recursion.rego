package tests.broken.recursion

# Mutual recursion: regorus would overflow its stack evaluating this (a crash,
# not an error); OPA rejects it at compile time (rego_recursion_error).
depth(x) := n if {
	n := other(x) + 1
}

other(x) := depth(x)

deny contains msg if {
	msg := sprintf("depth %v", [depth(input.kind)])
}
