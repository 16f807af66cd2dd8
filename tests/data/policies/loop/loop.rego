# METADATA
# title: Loop
# custom:
#   id: TEST-LOOP
package tests.loop

# Never finishes on a document named "loop": 10^10 pairs to try, none matches.
deny contains "unreachable" if {
	input.metadata.name == "loop"
	some a in numbers.range(1, 100000)
	some b in numbers.range(1, 100000)
	a == 0 - b
}

# Every other document gets a finding, to show it was still checked.
deny contains sprintf("%s was checked", [input.metadata.name]) if {
	input.metadata.name != "loop"
}
