# METADATA
# title: SQL server reachable from public networks
# description: A SQL server with public network access accepts connections from the Internet, limited only by its firewall rules.
# custom:
#   id: TF-AZ-006
#   severity: high
#   remediation: Set public_network_access_enabled = false and connect through private endpoints.
#   targets: [terraform-plan, terraform-hcl]
package railyard.terraform.azure.sql_public_network

import data.railyard.terraform as tf

deny contains {"msg": msg, "path": array.concat(r.path, ["public_network_access_enabled"])} if {
	some type in ["azurerm_mssql_server", "azurerm_sql_server", "azurerm_postgresql_server", "azurerm_mysql_server"]
	some r in tf.resources(type)
	not tf.is_unknown(r, ["public_network_access_enabled"])
	tf.value(r, ["public_network_access_enabled"], true) == true
	msg := sprintf("%s allows public network access", [tf.label(r)])
}
