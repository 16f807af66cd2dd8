package tests.sample_test

import data.tests.sample

# Passes: a privileged spec is denied.
test_denies_privileged if {
	count(sample.deny) == 1 with input as {"spec": {"privileged": true}}
}

# Fails on purpose: an empty spec is not denied.
test_denies_empty_spec if {
	print("deny on an empty spec:", sample.deny) with input as {"spec": {}}
	count(sample.deny) == 1 with input as {"spec": {}}
}
