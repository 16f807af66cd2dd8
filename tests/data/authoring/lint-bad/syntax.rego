package authoring.syntax

deny contains "broken" if {
	input.a ==
