# METADATA
# title: Image without a pinned tag
# description: An image with no tag or the tag latest can change under the same name, so deployments are neither reproducible nor auditable and a rollback may not restore the previous code. Images pinned by digest are fine.
# custom:
#   id: K8S-BP-001
#   severity: medium
#   remediation: Use an explicit version tag (nginx:1.27.3) or, better, pin the image by digest (nginx@sha256:...).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.mutable_image_tag

import data.railyard.kubernetes as k8s

deny contains {"msg": msg, "path": path} if {
	some c in data.railyard.kubernetes.input_containers
	image := c.container.image
	is_string(image)
	not k8s.image_has_digest(image)
	problem := tag_problem(k8s.image_tag(image))
	path := array.concat(c.path, ["image"])
	msg := sprintf("%s in %s uses image \"%s\" %s", [k8s.container_label(c), data.railyard.kubernetes.input_resource_label, image, problem])
}

tag_problem(tag) := "with no tag (implicitly latest)" if tag == ""

tag_problem(tag) := "with the mutable tag latest" if tag == "latest"
