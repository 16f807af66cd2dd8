package authoring.warned

import data.railyard.kubernetes as k8s

warn contains "no metadata" if input.x
