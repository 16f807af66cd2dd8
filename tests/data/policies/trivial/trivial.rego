package tests.trivial

# Cheap enough for a 50 MB input: flags one ConfigMap by name.
deny contains {"msg": "flagged", "path": ["metadata", "name"]} if {
	input.metadata.name == "flag-me"
}
