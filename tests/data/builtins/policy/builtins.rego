# The OPA built-ins Railyard adds as extensions (src/engine/extensions/), each
# called on inputs whose results under the real OPA are recorded in
# ../expected.json by scripts/opa-builtins-expected.sh. tests/it/builtins.rs
# evaluates `data.builtins` with `policy eval` and compares.
package builtins

cidr_merge := {
	"adjacent": net.cidr_merge(["192.0.128.0/24", "192.0.129.0/24"]),
	"contained_set": net.cidr_merge({"10.0.0.1/24", "10.0.1.0/24", "10.0.0.0/8"}),
	"empty_array": net.cidr_merge([]),
	"empty_set": net.cidr_merge(set()),
	"mixed_families": net.cidr_merge(["2001:db8::/64", "2001:db8:0:1::/64", "10.0.0.0/31", "10.0.0.2/31"]),
	"everything_v4": net.cidr_merge(["0.0.0.0/0", "1.2.3.4"]),
	"everything_both": net.cidr_merge(["0.0.0.0/0", "::/0"]),
	"v4_inside_v6": net.cidr_merge(["::/1", "0.0.0.0/0"]),
	"bare_ips_merge_by_class": net.cidr_merge(["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
	"bare_ip_alone_keeps_host_bits": net.cidr_merge(["1.2.3.4"]),
	"bare_ip_classes": net.cidr_merge(["172.16.5.4", "192.168.1.1", "224.0.0.1"]),
	"bare_ip_twice": net.cidr_merge(["1.2.3.4", "1.2.3.4"]),
	"mapped_v6_is_v4": net.cidr_merge(["::ffff:10.0.0.0/104", "10.0.0.0/8"]),
	"mapped_v6_alone": net.cidr_merge(["::ffff:10.0.0.1/104"]),
	"mapped_bare_ip": net.cidr_merge(["::ffff:10.0.0.1"]),
	"mapped_zone": net.cidr_merge(["::ffff:0:0/96"]),
	"not_quite_mapped": net.cidr_merge(["::ffff:0:0/80"]),
	"unordered_chain": net.cidr_merge(["10.1.0.0/16", "10.0.0.0/16", "10.2.0.0/15"]),
	"host_bits_cleared": net.cidr_merge(["10.0.0.5/24", "2001:db8::5/64"]),
	"not_mergeable": net.cidr_merge(["10.0.0.0/24", "10.0.1.0/25"]),
	"uneven_range": net.cidr_merge(["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/32"]),
	"three_hosts": net.cidr_merge(["1.2.3.4/32", "1.2.3.5/32", "1.2.3.6/32"]),
	"duplicates": net.cidr_merge(["10.0.0.0/8", "10.0.0.0/8"]),
	"v6_adjacent": net.cidr_merge(["2001:db8::/32", "2001:db9::/32"]),
	"v6_contained": net.cidr_merge(["::/0", "::1/128"]),
	"halves": net.cidr_merge(["0.0.0.0/1", "128.0.0.0/1"]),
	"prefix_leading_zero": net.cidr_merge(["10.0.0.0/08"]),
	"prefix_many_zeros": net.cidr_merge(["10.0.0.0/00000000000000000000008"]),
	"not_across_families": net.cidr_merge(["::fffe:ffff:ffff/128", "0.0.0.0/8"]),
	"top_of_v4": net.cidr_merge(["255.255.255.254/31", "255.255.255.255/32"]),
}

cidr_intersects := {
	"contains": net.cidr_intersects("192.168.0.0/16", "192.168.1.0/24"),
	"contained": net.cidr_intersects("192.168.1.0/24", "192.168.0.0/16"),
	"disjoint": net.cidr_intersects("10.0.0.0/8", "11.0.0.0/8"),
	"v4_and_v6_all": net.cidr_intersects("10.0.0.0/8", "::/0"),
	"mapped_and_v4": net.cidr_intersects("::ffff:10.0.0.0/104", "10.1.0.0/16"),
	"mapped_zone_and_v4": net.cidr_intersects("0.0.0.0/0", "::ffff:0:0/96"),
	"short_v6_and_v4": net.cidr_intersects("::ffff:0:0/95", "10.0.0.0/8"),
	"host_bits": net.cidr_intersects("10.0.0.5/24", "10.0.0.200/32"),
	"v6_overlap": net.cidr_intersects("fd00::/8", "fd12::/16"),
	"v6_disjoint": net.cidr_intersects("fd00::/16", "fd12::/16"),
	"same": net.cidr_intersects("2001:db8::/32", "2001:db8::/32"),
	"everything": net.cidr_intersects("0.0.0.0/0", "203.0.113.7/32"),
}

hashes := {text: {"md5": crypto.md5(text), "sha256": crypto.sha256(text)} |
	some text in ["", "hello", "Zoë ✓ 雪", "line\nbreak"]
}

jwt := {name: io.jwt.decode(token) | some name, token in input.jwt}

jwt_literals := {
	"empty_objects": io.jwt.decode("e30.e30."),
	"padded_sections": io.jwt.decode("e30=.e30=."),
	"signature_2": io.jwt.decode("e30.e30.ab"),
	"signature_3": io.jwt.decode("e30.e30.abc"),
	"signature_4": io.jwt.decode("e30.e30.abcd"),
	"signature_padded": io.jwt.decode("e30.e30.abcdef=="),
	"numbers_and_nulls": io.jwt.decode("e30.eyJhIjogMS41LCAiYiI6IFt0cnVlLCBudWxsXX0.-_8"),
}

# Big integers (RSA moduli, EC points, 20-byte serials) as decimal strings:
# the JSON output of `policy eval` carries numbers as 64-bit floats.
certificates := {name: [readable(c) | some c in crypto.x509.parse_certificates(input[name])] |
	some name in ["chain_pem", "leaf_der_base64", "chain_der_base64", "ca_pem_base64", "rsa_pem"]
}

readable(c) := object.union(c, {
	"SerialNumber": sprintf("%d", [c.SerialNumber]),
	"PublicKey": public_key(c.PublicKey),
})

public_key(k) := {"N": sprintf("%d", [k.N]), "E": k.E} if {
	is_object(k)
	"N" in object.keys(k)
}

public_key(k) := {"Curve": k.Curve, "X": sprintf("%d", [k.X]), "Y": sprintf("%d", [k.Y])} if {
	is_object(k)
	"X" in object.keys(k)
}

public_key(k) := k if not is_object(k)

certificates_empty := crypto.x509.parse_certificates("")

render_template := {
	"field": strings.render_template("Hello {{.name}}!", {"name": "world"}),
	"spaces": strings.render_template("{{ .a }}-{{.b}}", {"a": "x", "b": "y"}),
	"types": strings.render_template("{{.n}} {{.f}} {{.t}} {{.z}} {{.arr}} {{.obj}}", {"n": 42, "f": 1.5, "t": true, "z": null, "arr": [1, "x", [2], null], "obj": {"k": "v", "a": 2, "m": {"x": null}}}),
	"missing": strings.render_template("[{{.missing}}] [{{.a.b}}]", {}),
	"nested": strings.render_template("{{.a.b.c}}", {"a": {"b": {"c": "deep"}}}),
	"dot": strings.render_template("{{.}}", {"b": [], "a": {}}),
	"empty_vars": strings.render_template("{{.}}", {}),
	"trim": strings.render_template("x {{- .a -}} y\n  {{- .b}}", {"a": "A", "b": "B"}),
	"comment": strings.render_template("{{/* ignored */}}ok {{- /* also */ -}} !", {}),
	"no_actions": strings.render_template("plain }} text {", {}),
	"no_value_text": strings.render_template("<no value> {{.a}}", {"a": {"x": "<no value>"}}),
	"not_recursive": strings.render_template("{{.a}}", {"a": "{{.b}}", "b": 1}),
	"unicode": strings.render_template("{{.é}} {{.a_b1}}", {"é": "ü", "a_b1": "x\ny"}),
	"case_sensitive": strings.render_template("{{.A}}", {"a": 1}),
	"big_int": strings.render_template("{{.n}} {{.m}}", {"n": 12345678901234567890, "m": -7}),
}

globs_match := {sprintf("%s | %s", [a, b]): regex.globs_match(a, b) |
	some [a, b] in [
		["a.a.", ".b.b"],
		["[a-z]+", "[0-9]*"],
		["a*", "b*"],
		["a*", "a*"],
		["", ""],
		["a*", ""],
		[".*", ""],
		["", "a"],
		["a", "a"],
		["abc", "a.*"],
		["abc", "abd"],
		["[^a]", "a"],
		["\\.", "a"],
		["\\.", "."],
		["a+b+", "a*b"],
		["[a-c]x", "[c-e]x"],
		["[a-c]x", "[d-e]x"],
		["a?", "a"],
		["(a)", "(a)"],
		["a|b", "a|b"],
		["[ab]+c", "b.*"],
		["[a\\-z]", "-"],
		["foo.*", ".*bar"],
		["foo.+", "foo"],
		["foo.*", "foo"],
		["a", ".b*"],
		["a.*z", "b.*"],
		["x*ab*y", "xa*b*y"],
		["[0-9]+\\.[0-9]+", "1.2"],
		["ab*c", "a.c"],
		["a+", "aaa"],
		["a+", "aab"],
		["é+", "é"],
		["[α-ω]*", "λ"],
		[".*\\.example\\.com", "api\\.example\\.com"],
	]
}
