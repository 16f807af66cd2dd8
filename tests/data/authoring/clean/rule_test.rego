package authoring.clean_test

import data.authoring.clean

test_one_replica_warns if {
	count(clean.warn) == 1 with input as {"kind": "Deployment", "metadata": {"name": "w"}, "spec": {"replicas": 1}}
}

test_two_replicas_pass if {
	count(clean.warn) == 0 with input as {"kind": "Deployment", "metadata": {"name": "w"}, "spec": {"replicas": 2}}
}
