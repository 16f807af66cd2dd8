# Calls that OPA rejects with an error (recorded, with its message, in
# ../expected.json); Railyard must reject them too. Each rule is evaluated on its own.
package builtins_errors

cidr_merge_bad_cidr := net.cidr_merge(["10.0.0.0/8", "bad"])

cidr_merge_prefix_too_long := net.cidr_merge(["10.0.0.0/33"])

cidr_merge_leading_zero := net.cidr_merge(["010.0.0.0/8"])

cidr_merge_zone := net.cidr_merge(["fe80::1%eth0/64"])

cidr_merge_signed_prefix := net.cidr_merge(["10.0.0.0/+8"])

cidr_merge_huge_prefix := net.cidr_merge(["10.0.0.0/4294967304"])

cidr_merge_bare_ipv6 := net.cidr_merge(["2001:db8::1"])

cidr_merge_space := net.cidr_merge([" 10.0.0.0/8"])

cidr_intersects_bare_ip := net.cidr_intersects("10.0.0.1", "10.0.0.0/8")

cidr_intersects_empty := net.cidr_intersects("10.0.0.0/8", "")

jwt_no_dots := io.jwt.decode("abc")

jwt_two_sections := io.jwt.decode("a.b")

jwt_four_sections := io.jwt.decode("e30.e30.e30.e30")

jwt_bad_header_base64 := io.jwt.decode("!!.e30.")

jwt_bad_payload_base64 := io.jwt.decode("e30.!!.")

jwt_bad_signature_base64 := io.jwt.decode("e30.e30.!!")

jwt_lone_symbol := io.jwt.decode("e30.e.")

jwt_partial_padding := io.jwt.decode("e30.e30.ab=")

jwt_padding_inside := io.jwt.decode("e30.e30.a=b")

jwt_standard_alphabet := io.jwt.decode("e30.e30+.")

jwt_payload_not_object := io.jwt.decode("e30.W10.")

jwt_header_not_json := io.jwt.decode("bm90IGpzb24.e30.")

jwt_payload_not_json := io.jwt.decode("e30.bm90IGpzb24.")

jwt_jwe := io.jwt.decode("eyJlbmMiOiJ4In0.e30.")

template_unclosed := strings.render_template("x {{.a", {})

template_field_of_string := strings.render_template("{{.a.b}}", {"a": "str"})

template_field_of_array := strings.render_template("line\n  {{.a.b}}", {"a": [1]})

template_field_of_null := strings.render_template("{{.a.b}}", {"a": null})

template_empty_action := strings.render_template("{{}}", {})

template_bad_character := strings.render_template("{{.a-b}}", {"a-b": 1})

globs_leading_star := regex.globs_match("*", "a")

globs_double_star := regex.globs_match("a**", "a")

globs_plus_star := regex.globs_match("a+*", "a")

globs_unclosed_range := regex.globs_match("[a-", "a")

globs_stray_close := regex.globs_match("a]", "a]")

globs_trailing_escape := regex.globs_match("a\\", "a")

globs_reversed_range := regex.globs_match("[z-a]", "b")

globs_dash_first := regex.globs_match("[-a]", "-")

x509_not_base64 := crypto.x509.parse_certificates("not base64!")

x509_not_a_certificate := crypto.x509.parse_certificates("aGVsbG8gd29ybGQ=")

x509_private_key_block := crypto.x509.parse_certificates("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
