# METADATA
# title: CloudTrail log file validation off
# description: Without log file validation, a changed or deleted CloudTrail log file cannot be detected.
# custom:
#   id: CFN-CT-001
#   severity: medium
#   remediation: 'Set EnableLogFileValidation: true on the trail.'
#   targets: [cloudformation]
package railyard.cloudformation.cloudtrail_log_validation

import data.railyard.cloudformation as cfn

deny contains {"msg": msg, "path": array.concat(r.path, ["EnableLogFileValidation"])} if {
	some type in ["AWS::CloudTrail::Trail"]
	some r in cfn.resources(type)
	v := cfn.property(r, ["EnableLogFileValidation"], false)
	not cfn.is_unknown(v)
	not cfn.is_true(v)
	msg := sprintf("%s does not validate its log files", [cfn.label(r)])
}
