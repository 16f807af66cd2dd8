package authoring.recursive

deny contains msg if {
	msg := f(input)
}

f(x) := f(x)
