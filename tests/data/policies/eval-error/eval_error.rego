package tests.eval_error

# A run-time error on documents named "divide" (which have no labels): 1 / 0 is
# an evaluation error in Rego, not an undefined value.
deny contains sprintf("ratio %v", [1 / count(input.metadata.labels)]) if {
	input.metadata.name == "divide"
}
