# `policy test` runs on an engine with the extensions too.
package builtins_test

test_cidr_merge if net.cidr_merge(["10.0.0.0/25", "10.0.0.128/25"]) == {"10.0.0.0/24"}

test_jwt_claims if {
	[header, payload, _] := io.jwt.decode(token)
	header.alg == "HS256"
	payload.name == "John Doe"
}

token := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

test_message_template if {
	strings.render_template("{{.kind}}/{{.name}} is privileged", {"kind": "Pod", "name": "web"}) == "Pod/web is privileged"
}
