package tests.erroring_test

# Errors at run time: division by zero is an evaluation error in Rego, not a
# false expression.
test_divides_by_zero if {
	x := 1 / 0
	x > 0
}

test_passes if {
	1 + 1 == 2
}
