package tests.broken.syntax

# The assignment on line 5 has no right-hand side.
deny contains msg if {
	msg := 
}
