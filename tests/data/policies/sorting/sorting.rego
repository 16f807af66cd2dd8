package tests.sorting

# Two findings that start at the same line and column (the first container
# item) but end at different places: the documented order is (file, line,
# column, rule), so SORT-A comes before SORT-B whatever their extents.

# The container's `name` key (`- name: app`): a one-line span.
deny contains {"id": "SORT-B", "msg": "name", "path": ["spec", "containers", 0, "name"]} if {
	input.spec.containers[0].name
}

# A missing field of the same container: the nearest existing ancestor is the
# whole container item, a span over several lines that starts at `name`.
deny contains {"id": "SORT-A", "msg": "no limits", "path": ["spec", "containers", 0, "resources", "limits"]} if {
	not input.spec.containers[0].resources.limits
}
