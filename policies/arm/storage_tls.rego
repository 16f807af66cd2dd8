# METADATA
# title: Storage account allows TLS before 1.2
# description: 'TLS 1.0 and 1.1 have known weaknesses; older API versions default to TLS1_0 when the property is absent.'
# custom:
#   id: ARM-STG-003
#   severity: medium
#   remediation: 'Set properties.minimumTlsVersion to TLS1_2.'
#   targets: [arm]
package railyard.arm.storage_tls

import data.railyard.arm as arm

deny contains {"msg": msg, "path": array.concat(r.path, ["properties", "minimumTlsVersion"])} if {
	some r in arm.resources("Microsoft.Storage/storageAccounts")
	v := arm.property(r, ["minimumTlsVersion"], "TLS1_0")
	not arm.is_unknown(v)
	v in {"TLS1_0", "TLS1_1"}
	msg := sprintf("%s accepts %s", [arm.label(r), v])
}
