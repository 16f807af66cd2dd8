#!/usr/bin/env python3
"""Generate a deterministic `terraform show -json` plan with N resources.

    python3 scripts/gen-tf-plan.py --out target/bench-tf/plan.json --count 5000 --seed 42

The plan has the shape Terraform 1.x writes (format_version 1.2): resource_changes
with actions, after and after_unknown; planned_values in the root module and
child modules; a configuration block with module calls and references. Resource
types are a mix of AWS, Azure and Google resources that the built-in library
checks, about a third of them compliant, the others breaking one or two rules,
spread over the root module and ten child modules.
"""

import argparse
import json
import os
import random

MODULES = [""] + [f"module.app{i}" for i in range(10)]


def s3_bucket(rng, name, _):
    after = {"bucket": f"bucket-{name}", "force_destroy": False, "tags": {"Owner": "team"}}
    if rng.random() < 0.3:
        after["acl"] = "public-read"
    unknown = {"id": True, "arn": True, "tags_all": True}
    return after, unknown


def security_group(rng, name, _):
    port = rng.choice([22, 443, 3389, 80, 8080])
    cidr = rng.choice(["0.0.0.0/0", "10.0.0.0/8"])
    after = {
        "name": f"sg-{name}",
        "description": "generated",
        "ingress": [{"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": [cidr],
                     "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False,
                     "description": ""}],
        "tags": {"Owner": "team"},
    }
    return after, {"id": True, "arn": True, "vpc_id": True}


def db_instance(rng, name, _):
    after = {
        "identifier": f"db-{name}",
        "engine": "postgres",
        "instance_class": "db.t3.micro",
        "storage_encrypted": rng.random() < 0.6,
        "publicly_accessible": rng.random() < 0.2,
        "deletion_protection": rng.random() < 0.5,
        "tags": {"Environment": "prod"},
    }
    return after, {"id": True, "endpoint": True, "kms_key_id": True}


def ebs_volume(rng, name, _):
    after = {"availability_zone": "eu-west-1a", "size": rng.choice([8, 20, 100]),
             "encrypted": rng.random() < 0.5, "tags": {"Owner": "team"}}
    return after, {"id": True, "arn": True}


def kms_key(rng, name, _):
    after = {"description": f"key {name}", "enable_key_rotation": rng.random() < 0.5,
             "customer_master_key_spec": "SYMMETRIC_DEFAULT", "tags": {"Owner": "team"}}
    return after, {"id": True, "arn": True, "key_id": True}


def iam_policy(rng, name, _):
    action = "*" if rng.random() < 0.2 else ["s3:GetObject"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
    return {"name": f"policy-{name}", "policy": json.dumps(policy)}, {"id": True, "arn": True}


def storage_account(rng, name, _):
    after = {"name": f"sa{name}", "account_tier": "Standard", "account_replication_type": "LRS",
             "allow_nested_items_to_be_public": rng.random() < 0.3,
             "https_traffic_only_enabled": True, "min_tls_version": rng.choice(["TLS1_2", "TLS1_0"]),
             "tags": {"Owner": "team"}}
    return after, {"id": True, "primary_blob_endpoint": True}


def gcs_bucket(rng, name, _):
    after = {"name": f"gcs-{name}", "location": "EU",
             "uniform_bucket_level_access": rng.random() < 0.6, "force_destroy": False}
    return after, {"id": True, "self_link": True, "url": True}


def firewall(rng, name, _):
    after = {"name": f"fw-{name}", "network": "default", "direction": "INGRESS",
             "source_ranges": [rng.choice(["0.0.0.0/0", "10.0.0.0/8"])],
             "allow": [{"protocol": "tcp", "ports": [rng.choice(["22", "443", "3389"])]}]}
    return after, {"id": True, "self_link": True}


TYPES = [
    ("aws_s3_bucket", s3_bucket),
    ("aws_security_group", security_group),
    ("aws_db_instance", db_instance),
    ("aws_ebs_volume", ebs_volume),
    ("aws_kms_key", kms_key),
    ("aws_iam_policy", iam_policy),
    ("azurerm_storage_account", storage_account),
    ("google_storage_bucket", gcs_bucket),
    ("google_compute_firewall", firewall),
]


def generate(count, seed):
    rng = random.Random(seed)
    changes = []
    by_module = {m: [] for m in MODULES}
    config = {m: [] for m in MODULES}
    for i in range(count):
        module = MODULES[i % len(MODULES)]
        type_name, make = TYPES[i % len(TYPES)]
        name = f"r{i}"
        after, unknown = make(rng, name, module)
        address = f"{module + '.' if module else ''}{type_name}.{name}"
        provider = type_name.split("_")[0]
        provider = {"azurerm": "azurerm", "google": "google"}.get(provider, "aws")
        actions = rng.choice([["create"], ["create"], ["update"], ["no-op"], ["delete", "create"]])
        change = {
            "address": address,
            "mode": "managed",
            "type": type_name,
            "name": name,
            "provider_name": f"registry.terraform.io/hashicorp/{provider}",
            "change": {
                "actions": actions,
                "before": None if actions == ["create"] else after,
                "after": after,
                "after_unknown": unknown,
                "before_sensitive": False if actions == ["create"] else {},
                "after_sensitive": {},
            },
        }
        if module:
            change["module_address"] = module
        changes.append(change)
        by_module[module].append({
            "address": address, "mode": "managed", "type": type_name, "name": name,
            "provider_name": change["provider_name"], "schema_version": 0,
            "values": after, "sensitive_values": {},
        })
        config[module].append({
            "address": f"{type_name}.{name}", "mode": "managed", "type": type_name, "name": name,
            "provider_config_key": provider,
            "expressions": {k: {"constant_value": v} for k, v in after.items() if not isinstance(v, (list, dict))},
            "schema_version": 0,
        })
    root = {"resources": by_module[""], "child_modules": [
        {"address": m, "resources": by_module[m]} for m in MODULES[1:]
    ]}
    configuration = {"provider_config": {}, "root_module": {
        "resources": config[""],
        "module_calls": {
            m.split(".", 1)[1]: {"source": f"./modules/{m.split('.', 1)[1]}", "module": {"resources": config[m]}}
            for m in MODULES[1:]
        },
    }}
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": root},
        "resource_changes": changes,
        "configuration": configuration,
        "timestamp": "2024-01-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="output file (plan.json)")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    plan = generate(args.count, args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(plan, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
