package tests.sample

deny contains "privileged" if input.spec.privileged == true
