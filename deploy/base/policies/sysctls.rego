# METADATA
# title: Unsafe sysctls
# description: Sysctls outside the safe, namespaced set can change kernel settings for every pod on the node or disable security mechanisms. Pod Security Standards (baseline).
# custom:
#   id: K8S-POD-010
#   severity: medium
#   remediation: Remove the sysctl from securityContext.sysctls, or use only the safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem).
#   targets: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package railyard.kubernetes.sysctls


# The sysctls the Pod Security Standards baseline profile allows.
safe_sysctls := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
}

deny contains {"msg": msg, "path": path} if {
	some i
	sysctl := data.railyard.kubernetes.input_pod_spec.securityContext.sysctls[i]
	name := sysctl.name
	not name in safe_sysctls
	path := array.concat(data.railyard.kubernetes.input_pod_security_context_path, ["sysctls", i, "name"])
	msg := sprintf("%s sets unsafe sysctl %v", [data.railyard.kubernetes.input_resource_label, name])
}
