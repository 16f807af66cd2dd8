#!/usr/bin/env python3
"""Generate a deterministic corpus of Kubernetes manifests for benchmarks.

    gen-k8s-corpus.py --out DIR [--count 10000] [--seed 42] [--multi 1] [--format yaml|json]

Writes COUNT documents: a mix of kinds (Deployment ~40%, Pod, StatefulSet,
DaemonSet, Job, CronJob, Service, ConfigMap, Role, ClusterRole, Ingress) with
realistic shapes (1-4 containers, env, probes, resources, volumes, labels,
annotations) and a mix of compliant and non-compliant settings (privileged,
host namespaces, hostPath, latest tags, missing limits, RBAC wildcards, ...).

- One document per file by default, named NNNNN-<kind>.yaml (lower-case kind).
- --multi N packs N consecutive documents per file, separated by "---", named
  NNNNN-multi.yaml. The documents are the same whatever N is: document i of
  `--multi 100` is byte-identical to file i of `--multi 1`.
- --format json writes the same documents as JSON (NNNNN-<kind>.json, one per
  file), e.g. for engines that only take JSON input.
- Everything comes from random.Random(seed) consumed in document order, so the
  same seed gives byte-identical files, and the first K documents do not
  depend on COUNT.
- Files in DIR matching the generator's own name pattern are removed first, so
  a smaller COUNT does not leave stale files behind. Nothing else is touched.

Python 3 standard library only (the YAML emitter is below).
"""

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path
import random

# ---------------------------------------------------------------------------
# A small YAML emitter: block style by default, with markers for flow
# collections and literal/folded block scalars. Strings are quoted whenever a
# YAML 1.1 or 1.2 reader could take them for anything but a string.
# ---------------------------------------------------------------------------


class Lit(str):
    """Emit as a literal block scalar (|)."""


class Folded(str):
    """Emit as a folded block scalar (>). The text is one paragraph (single
    spaces, no newline except a final one); the emitter wraps it at spaces,
    and folding gives the same text back."""


class Quoted(str):
    """Always emit double-quoted."""


class SQuoted(str):
    """Always emit single-quoted."""


class Flow(list):
    """Emit as a flow sequence: [a, b]."""


class FlowMap(dict):
    """Emit as a flow mapping: {a: 1, b: 2}."""


_RESERVED = {
    "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    ".inf", "-.inf", "+.inf", ".nan", "<<", "=",
}
_NUMBERISH = re.compile(
    r"""^(
        [-+]?(0|[1-9][0-9_]*)            # decimal int
      | [-+]?0[0-7_]+                    # YAML 1.1 octal
      | [-+]?0o[0-7]+                    # YAML 1.2 octal
      | [-+]?0x[0-9a-fA-F_]+             # hex
      | [-+]?0b[01_]+                    # binary
      | [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?   # float
      | [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+ # 1e3
      | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?      # sexagesimal (1.1)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.* # dates / timestamps
    )$""",
    re.X,
)
_PLAIN_OK = re.compile(r"^[A-Za-z0-9/_.$(][A-Za-z0-9 _./@:=+,()$%-]*$")


def _needs_quotes(s):
    if s.lower() in _RESERVED or _NUMBERISH.match(s):
        return True
    if not _PLAIN_OK.match(s):
        return True
    if ": " in s or s.endswith(":") or s.endswith(" ") or " #" in s:
        return True
    return False


def scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, SQuoted) and "\n" not in v:
        return "'" + v.replace("'", "''") + "'"
    if isinstance(v, Quoted) or _needs_quotes(v):
        return json.dumps(v, ensure_ascii=False)
    return v


def _key(k):
    return scalar(k) if _needs_quotes(k) else k


def _flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if isinstance(v, str) and "," in v:  # a comma ends a plain scalar in flow context
        return json.dumps(v, ensure_ascii=False)
    return scalar(v)


def _block_scalar(s, indent, out, head):
    marker = "|" if isinstance(s, Lit) else ">"
    chomp = "" if s.endswith("\n") else "-"
    out.append(f"{head} {marker}{chomp}")
    pad = " " * indent
    if marker == ">":
        line = ""
        for word in s.rstrip("\n").split(" "):
            if line and len(line) + 1 + len(word) > 64:
                out.append(pad + line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(pad + line)
        return
    for line in s.rstrip("\n").split("\n"):
        out.append(pad + line if line else "")


def emit(obj, indent=0, out=None, seq_indent=2):
    """Append YAML lines for a mapping `obj` at `indent` to `out`."""
    out = [] if out is None else out
    pad = " " * indent
    for k, v in obj.items():
        head = f"{pad}{_key(k)}:"
        _emit_value(v, head, indent, out, seq_indent)
    return out


def _emit_value(v, head, indent, out, seq_indent):
    if isinstance(v, (Flow, FlowMap)) or (isinstance(v, (list, dict)) and not v):
        out.append(f"{head} {_flow(v)}")
    elif isinstance(v, dict):
        out.append(head)
        emit(v, indent + 2, out, seq_indent)
    elif isinstance(v, list):
        out.append(head)
        _emit_seq(v, indent + seq_indent, out, seq_indent)
    elif isinstance(v, (Lit, Folded)):
        _block_scalar(v, indent + 2, out, head)
    else:
        out.append(f"{head} {scalar(v)}")


def _emit_seq(items, indent, out, seq_indent):
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item and not isinstance(item, FlowMap):
            sub = emit(item, indent + 2, [], seq_indent)
            sub[0] = pad + "- " + sub[0][indent + 2:]
            out.extend(sub)
        elif isinstance(item, list) and item and not isinstance(item, Flow):
            out.append(pad + "-")
            _emit_seq(item, indent + 2, out, seq_indent)
        elif isinstance(item, (Lit, Folded)):
            _block_scalar(item, indent + 2, out, pad + "-")
        else:
            out.append(f"{pad}- {_flow(item)}")


def to_yaml(doc, seq_indent=2, comment=None):
    lines = [] if comment is None else [f"# {comment}"]
    emit(doc, 0, lines, seq_indent)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

TEAMS = ["payments", "orders", "catalog", "search", "identity", "platform", "data", "web",
         "messaging", "billing", "shipping", "analytics", "ml", "observability", "security"]
COMPONENTS = ["api", "worker", "web", "gateway", "cache", "consumer", "scheduler", "sync",
              "exporter", "proxy", "indexer", "frontend", "backend", "auth", "notifier"]
REGISTRIES = ["registry.example.com/", "ghcr.io/example/", "quay.io/example/",
              "123456789012.dkr.ecr.eu-west-1.amazonaws.com/", "docker.io/library/", ""]
THIRD_PARTY = ["nginx", "redis", "postgres", "envoyproxy/envoy", "busybox", "fluent/fluent-bit",
               "prom/statsd-exporter", "bitnami/kafka", "grafana/grafana", "memcached"]
# Environment variables and plausible values ({t} = team). Several values
# would not be strings if left unquoted (numbers, yes/no, null, dates, "*").
ENV = {
    "LOG_LEVEL": ["info", "debug", "warn"],
    "LOG_FORMAT": ["json", "text"],
    "PORT": ["8080", "9090", "3000"],
    "HTTP_TIMEOUT": ["30s", "5s", "1m"],
    "DB_HOST": ["{t}-db.{t}.svc.cluster.local", "10.12.0.7"],
    "DB_PORT": ["5432", "3306"],
    "DB_NAME": ["{t}", "{t}_prod"],
    "REDIS_URL": ["redis://{t}-cache:6379/0"],
    "KAFKA_BROKERS": ["kafka-0.kafka:9092,kafka-1.kafka:9092"],
    "OTEL_EXPORTER_OTLP_ENDPOINT": ["http://otel-collector.observability:4317"],
    "FEATURE_FLAGS": ["checkout-v2,wishlist", "*", ""],
    "MAX_CONNECTIONS": ["100", "250"],
    "CACHE_TTL": ["300", "1h"],
    "REGION": ["eu-west-1", "us-east-1"],
    "ENVIRONMENT": ["prod", "staging"],
    "JAVA_OPTS": ["-Xmx512m -XX:+UseG1GC", "-XX:MaxRAMPercentage=75.0"],
    "GOMAXPROCS": ["2", "4"],
    "WORKERS": ["4", "8"],
    "QUEUE_NAME": ["{t}-events", "{t}.jobs"],
    "S3_BUCKET": ["example-{t}-artifacts"],
    "ENABLE_TRACING": ["yes", "no", "true", "on"],
    "RELEASE_DATE": ["2024-10-01"],
    "SENTRY_DSN": ["null", "https://abc123@o1.ingest.sentry.io/42"],
    "SAMPLE_RATIO": ["0.5", "0.05", "1e-3"],
}
ENV_NAMES = list(ENV)
SAFE_SYSCTLS = ["net.ipv4.tcp_keepalive_time", "net.ipv4.ip_unprivileged_port_start",
                "kernel.shm_rmid_forced", "net.ipv4.tcp_fin_timeout"]
UNSAFE_SYSCTLS = ["net.core.somaxconn", "kernel.msgmax", "vm.max_map_count", "kernel.sem"]
BAD_CAPS = ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "NET_RAW", "SYS_MODULE", "DAC_READ_SEARCH"]

# Kind weights (percent).
KINDS = [("Deployment", 40), ("Pod", 10), ("StatefulSet", 7), ("DaemonSet", 5), ("Job", 6),
         ("CronJob", 6), ("Service", 10), ("ConfigMap", 7), ("Role", 3), ("ClusterRole", 2),
         ("Ingress", 4)]

# Workload violations and their relative weights.
WORKLOAD_VIOLATIONS = [
    ("privileged", 6), ("hostNetwork", 4), ("hostPID", 3), ("hostIPC", 2), ("hostPath", 4),
    ("hostPort", 3), ("capAdd", 4), ("noDropAll", 5), ("appArmor", 2), ("seccompUnconfined", 3),
    ("seccompMissing", 5), ("seLinux", 2), ("procMount", 1), ("unsafeSysctl", 2),
    ("apeTrue", 4), ("apeMissing", 4), ("runAsNonRootMissing", 5), ("runAsUser0", 3),
    ("nfsVolume", 2), ("latestTag", 6), ("untagged", 4), ("missingLimits", 6),
    ("missingRequests", 3), ("missingProbes", 5), ("defaultNamespace", 3), ("noNameLabel", 3),
    ("rofsFalse", 3), ("rofsMissing", 4),
]


def weighted(r, pairs):
    total = sum(w for _, w in pairs)
    x = r.randrange(total)
    for item, w in pairs:
        if x < w:
            return item
        x -= w
    raise AssertionError


def fake_digest(*parts):
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


class Gen:
    def __init__(self, r, index):
        self.r = r
        self.i = index
        self.team = r.choice(TEAMS)
        self.comp = r.choice(COMPONENTS)
        self.name = f"{self.team}-{self.comp}" + (f"-{r.randrange(2, 9)}" if r.random() < 0.2 else "")
        self.version = f"{r.randrange(0, 6)}.{r.randrange(0, 30)}.{r.randrange(0, 15)}"
        self.v = set()
        self.quote_values = r.random() < 0.3  # some authors quote every string

    def s(self, v):
        """A string value, quoted in the document's style."""
        return Quoted(v) if self.quote_values else v

    # -- metadata ---------------------------------------------------------
    def labels(self, full=True):
        r = self.r
        lab = {}
        if "noNameLabel" in self.v:
            lab["app"] = self.name
        else:
            lab["app.kubernetes.io/name"] = self.name
        if full:
            if r.random() < 0.6:
                lab["app.kubernetes.io/part-of"] = self.team
            if r.random() < 0.5:
                lab["app.kubernetes.io/component"] = self.comp
            if r.random() < 0.4:
                lab["app.kubernetes.io/version"] = Quoted(self.version)
            if r.random() < 0.3:
                lab["app.kubernetes.io/managed-by"] = r.choice(["Helm", "kustomize", "argocd"])
            if r.random() < 0.5:
                lab["team"] = self.team
            if r.random() < 0.3:
                lab["environment"] = r.choice(["prod", "staging", "dev"])
        return lab

    def annotations(self):
        r = self.r
        ann = {}
        if r.random() < 0.3:
            ann["description"] = Folded(
                f"{self.name} serves the {self.team} domain. Owned by the {self.team} team; "
                f"page #{self.team}-oncall before scaling it down or changing its limits.\n")
        if r.random() < 0.2:
            ann["deployment.kubernetes.io/revision"] = Quoted(str(r.randrange(1, 60)))
        if r.random() < 0.15:
            ann["checksum/config"] = fake_digest("config", self.i)
        if r.random() < 0.1:
            ann["owner"] = f"{self.team}@example.com"
        if r.random() < 0.04:
            # kubectl's last-applied-configuration: a big JSON string.
            ann["kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(
                {"apiVersion": "v1", "kind": "Placeholder",
                 "metadata": {"name": self.name, "labels": {"app.kubernetes.io/name": self.name}},
                 "spec": {"note": "x" * r.randrange(200, 2000)}}, separators=(",", ":")) + "\n"
        return ann

    def metadata(self, namespaced=True, name=None):
        r = self.r
        md = {"name": name or self.name}
        if namespaced:
            if "defaultNamespace" in self.v:
                md["namespace"] = "default"
            elif r.random() < 0.97:
                md["namespace"] = self.team
        md["labels"] = self.labels()
        ann = self.annotations()
        if ann:
            md["annotations"] = ann
        return md

    # -- containers -------------------------------------------------------
    def image(self, first):
        r = self.r
        if r.random() < 0.25:
            repo = "docker.io/" + r.choice(THIRD_PARTY)
        else:
            repo = r.choice(REGISTRIES) + f"{self.team}/{self.comp}"
        if first and "latestTag" in self.v:
            return repo + ":latest"
        if first and "untagged" in self.v:
            return repo
        x = r.random()
        if x < 0.12:
            return f"{repo}@sha256:{fake_digest(repo, self.i)}"
        if x < 0.2:
            return f"{repo}:{self.version}@sha256:{fake_digest(repo, self.version)}"
        return f"{repo}:{r.choice(['', 'v'])}{self.version}{r.choice(['', '', '-alpine', '-distroless'])}"

    def env(self):
        r = self.r
        out = []
        for name in r.sample(ENV_NAMES, r.randrange(0, 13)):
            x = r.random()
            if x < 0.6:
                val = r.choice(ENV[name]).replace("{t}", self.team)
                out.append({"name": name, "value": Quoted(val) if self.quote_values else val})
            elif x < 0.8:
                out.append({"name": name, "valueFrom": {"secretKeyRef": {
                    "name": f"{self.name}-secrets", "key": name.lower().replace("_", "-")}}})
            elif x < 0.9:
                out.append({"name": name, "valueFrom": {"configMapKeyRef": {
                    "name": f"{self.name}-config", "key": name}}})
            else:
                out.append({"name": name, "valueFrom": {"fieldRef": {
                    "fieldPath": r.choice(["metadata.namespace", "metadata.name", "status.podIP"])}}})
        return out

    def resources(self, first):
        r = self.r
        req = {"cpu": r.choice(["10m", "50m", "100m", "250m", "500m", "1"]),
               "memory": r.choice(["32Mi", "64Mi", "128Mi", "256Mi", "512Mi", "1Gi"])}
        lim = {"cpu": r.choice(["100m", "500m", "1", "2"]),
               "memory": r.choice(["128Mi", "256Mi", "512Mi", "1Gi", "2Gi"])}
        flow = r.random() < 0.3
        wrap = FlowMap if flow else dict
        res = {}
        if not (first and "missingRequests" in self.v):
            res["requests"] = wrap(req)
        if not (first and "missingLimits" in self.v):
            res["limits"] = wrap(lim)
        return res

    def probe(self, port):
        r = self.r
        x = r.random()
        if x < 0.6 and port:
            p = {"httpGet": {"path": r.choice(["/healthz", "/ready", "/livez", "/health"]),
                             "port": port}}
        elif x < 0.8 and port:
            p = {"tcpSocket": {"port": port}}
        else:
            p = {"exec": {"command": Flow([self.comp, "healthcheck"])}}
        if r.random() < 0.5:
            p["initialDelaySeconds"] = r.choice([5, 10, 15, 30])
        if r.random() < 0.5:
            p["periodSeconds"] = r.choice([5, 10, 20])
        return p

    def security_context(self, first, pod_level_nonroot, pod_level_seccomp):
        r = self.r
        v = self.v if first else set()
        sc = {}
        if "privileged" in v:
            sc["privileged"] = True
        if "apeTrue" in v:
            sc["allowPrivilegeEscalation"] = True
        elif "apeMissing" not in v:
            sc["allowPrivilegeEscalation"] = False
        if "rofsFalse" in v:
            sc["readOnlyRootFilesystem"] = False
        elif "rofsMissing" not in v:
            sc["readOnlyRootFilesystem"] = True
        if not pod_level_nonroot and "runAsNonRootMissing" not in self.v:
            sc["runAsNonRoot"] = True
            sc["runAsUser"] = r.choice([1000, 10001, 65532])
        if "runAsUser0" in v:
            sc["runAsUser"] = 0
        if not pod_level_seccomp and "seccompMissing" not in self.v:
            sc["seccompProfile"] = {"type": "RuntimeDefault"}
        if "seccompUnconfined" in v:
            sc["seccompProfile"] = {"type": "Unconfined"}
        if "procMount" in v:
            sc["procMount"] = "Unmasked"
        if "seLinux" in v:
            sc["seLinuxOptions"] = {"type": "spc_t"}
        caps = {}
        if "noDropAll" in v:
            caps["drop"] = Flow(["NET_RAW"])
        else:
            caps["drop"] = Flow(["ALL"]) if r.random() < 0.7 else ["ALL"]
        if "capAdd" in v:
            caps["add"] = Flow([r.choice(BAD_CAPS)])
        elif r.random() < 0.05:
            caps["add"] = Flow(["NET_BIND_SERVICE"])
        sc["capabilities"] = caps
        return sc

    def container(self, idx, long_running, volumes, pod_nonroot, pod_seccomp, init=False):
        r = self.r
        first = idx == 0 and not init
        name = ("init-" if init else "") + (self.comp if idx == 0 else
                                             r.choice(["sidecar", "proxy", "metrics", "log-agent", "reloader"]) + f"-{idx}")
        c = {"name": name, "image": self.s(self.image(first))}
        if r.random() < 0.3:
            c["imagePullPolicy"] = r.choice(["IfNotPresent", "Always"])
        x = r.random()
        if x < 0.15:
            c["command"] = ["/bin/sh", "-c", Lit(
                "set -eu\n"
                f"echo starting {name}\n"
                f"exec /app/{self.comp} --config /etc/{self.comp}/config.yaml\n")]
        elif x < 0.45:
            c["args"] = Flow([f"--port={8080 + idx}", f"--log-level={r.choice(['info', 'debug'])}"])
        port = None
        if long_running and r.random() < 0.85:
            port = r.choice([8080, 8443, 9090, 3000, 5000]) + idx
            ports = [{"name": "http" if idx == 0 else f"http-{idx}", "containerPort": port,
                      "protocol": "TCP"}]
            if first and "hostPort" in self.v:
                ports[0]["hostPort"] = port
            if r.random() < 0.3:
                ports.append({"name": "metrics", "containerPort": 9100 + idx})
            c["ports"] = ports
        env = self.env()
        if env:
            c["env"] = env
        if r.random() < 0.15:
            c["envFrom"] = [{"configMapRef": {"name": f"{self.name}-config"}}]
        if not (first and ("missingLimits" in self.v and "missingRequests" in self.v)):
            c["resources"] = self.resources(first)
        if long_running and not init and not (first and "missingProbes" in self.v):
            c["livenessProbe"] = self.probe(port)
            c["readinessProbe"] = self.probe(port)
            if r.random() < 0.1:
                c["startupProbe"] = self.probe(port)
        c["securityContext"] = self.security_context(first, pod_nonroot, pod_seccomp)
        mounts = []
        for vol in volumes:
            if r.random() < 0.7 or idx == 0:
                m = {"name": vol["name"], "mountPath": vol["_mount"]}
                if vol.get("_ro"):
                    m["readOnly"] = True
                mounts.append(m)
        if mounts:
            c["volumeMounts"] = mounts
        return c

    def volumes(self):
        r = self.r
        vols = [{"name": "tmp", "emptyDir": {}, "_mount": "/tmp"}]
        if r.random() < 0.5:
            vols.append({"name": "config", "configMap": {"name": f"{self.name}-config"},
                         "_mount": f"/etc/{self.comp}", "_ro": True})
        if r.random() < 0.3:
            vols.append({"name": "secrets", "secret": {"secretName": f"{self.name}-tls",
                                                        "defaultMode": 0o440},
                         "_mount": "/var/run/secrets/tls", "_ro": True})
        if r.random() < 0.15:
            vols.append({"name": "data", "persistentVolumeClaim": {"claimName": f"{self.name}-data"},
                         "_mount": "/data"})
        if r.random() < 0.1:
            vols.append({"name": "podinfo", "downwardAPI": {"items": [
                {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]},
                "_mount": "/etc/podinfo", "_ro": True})
        if "hostPath" in self.v:
            vols.append({"name": "host", "hostPath": {"path": r.choice(["/var/log", "/var/run/docker.sock", "/", "/etc"]),
                                                      "type": ""}, "_mount": "/host"})
        if "nfsVolume" in self.v:
            vols.append({"name": "shared", "nfs": {"server": "nas.example.internal",
                                                   "path": f"/exports/{self.team}"},
                         "_mount": "/shared"})
        return vols

    def pod_spec(self, long_running, restart=None):
        r = self.r
        vols = self.volumes()
        spec = {}
        if restart:
            spec["restartPolicy"] = restart
        if r.random() < 0.5:
            spec["serviceAccountName"] = self.name
        spec["automountServiceAccountToken"] = r.random() < 0.1
        for f in ("hostNetwork", "hostPID", "hostIPC"):
            if f in self.v:
                spec[f] = True
        pod_nonroot = r.random() < 0.7
        pod_seccomp = r.random() < 0.7
        psc = {}
        if pod_nonroot and "runAsNonRootMissing" not in self.v:
            psc["runAsNonRoot"] = True
            psc["runAsUser"] = r.choice([1000, 10001, 65532, 999])
            if r.random() < 0.6:
                psc["runAsGroup"] = psc["runAsUser"]
        elif "runAsNonRootMissing" in self.v:
            psc["runAsUser"] = r.choice([1000, 10001])
        if r.random() < 0.4:
            psc["fsGroup"] = r.choice([1000, 2000, 65532])
        if pod_seccomp and "seccompMissing" not in self.v:
            psc["seccompProfile"] = {"type": r.choice(["RuntimeDefault"] * 9 + ["Localhost"])}
            if psc["seccompProfile"]["type"] == "Localhost":
                psc["seccompProfile"]["localhostProfile"] = "profiles/audit.json"
        if "appArmor" in self.v:
            psc["appArmorProfile"] = {"type": "Unconfined"}
        sysctls = []
        if r.random() < 0.05:
            sysctls.append({"name": r.choice(SAFE_SYSCTLS), "value": Quoted("1")})
        if "unsafeSysctl" in self.v:
            sysctls.append({"name": r.choice(UNSAFE_SYSCTLS), "value": Quoted("1024")})
        if sysctls:
            psc["sysctls"] = sysctls
        if psc:
            spec["securityContext"] = psc
        if r.random() < 0.2:
            spec["initContainers"] = [self.container(0, False, vols[:1], pod_nonroot, pod_seccomp, init=True)]
        n = weighted(r, [(1, 55), (2, 30), (3, 10), (4, 5)])
        spec["containers"] = [self.container(j, long_running, vols, pod_nonroot, pod_seccomp) for j in range(n)]
        if r.random() < 0.2:
            spec["nodeSelector"] = {"kubernetes.io/os": "linux"}
        if r.random() < 0.15:
            spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": self.team,
                                    "effect": "NoSchedule"}]
        if r.random() < 0.15:
            spec["affinity"] = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {
                    "topologyKey": "kubernetes.io/hostname",
                    "labelSelector": {"matchLabels": {"app.kubernetes.io/name": self.name}}}}]}}
        spec["volumes"] = [{k: v for k, v in vol.items() if not k.startswith("_")} for vol in vols]
        return spec

    def template(self, long_running, restart=None):
        md = {"labels": self.labels(full=False)}
        if self.r.random() < 0.3:
            md["annotations"] = {"prometheus.io/scrape": Quoted("true"),
                                 "prometheus.io/port": Quoted("9100")}
        if "appArmor" in self.v and self.r.random() < 0.5:
            md.setdefault("annotations", {})[
                f"container.apparmor.security.beta.kubernetes.io/{self.comp}"] = "unconfined"
        return {"metadata": md, "spec": self.pod_spec(long_running, restart)}

    def selector(self):
        key = "app" if "noNameLabel" in self.v else "app.kubernetes.io/name"
        return {"matchLabels": {key: self.name}}

    # -- kinds ------------------------------------------------------------
    def pick_violations(self):
        r = self.r
        if r.random() < 0.35:
            return
        for _ in range(weighted(r, [(1, 60), (2, 28), (3, 12)])):
            self.v.add(weighted(r, WORKLOAD_VIOLATIONS))

    def workload(self, kind):
        r = self.r
        self.pick_violations()
        if kind == "Pod":
            doc = {"apiVersion": "v1", "kind": "Pod", "metadata": self.metadata()}
            doc["spec"] = self.pod_spec(True)
            return doc
        api = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
        doc = {"apiVersion": api, "kind": kind, "metadata": self.metadata()}
        if kind == "Deployment":
            spec = {"replicas": r.choice([1, 2, 3, 3, 5, 10])}
            if r.random() < 0.3:
                spec["revisionHistoryLimit"] = r.choice([3, 5, 10])
            spec["selector"] = self.selector()
            if r.random() < 0.4:
                spec["strategy"] = {"type": "RollingUpdate",
                                    "rollingUpdate": {"maxSurge": SQuoted("25%"), "maxUnavailable": 0}}
            spec["template"] = self.template(True)
        elif kind == "StatefulSet":
            spec = {"serviceName": f"{self.name}-headless", "replicas": r.choice([1, 3, 5]),
                    "selector": self.selector(), "template": self.template(True),
                    "volumeClaimTemplates": [{"metadata": {"name": "state"}, "spec": {
                        "accessModes": Flow(["ReadWriteOnce"]),
                        "resources": {"requests": {"storage": r.choice(["1Gi", "10Gi", "50Gi"])}}}}]}
        elif kind == "DaemonSet":
            spec = {"selector": self.selector(),
                    "updateStrategy": {"type": "RollingUpdate"},
                    "template": self.template(True)}
        elif kind == "Job":
            spec = {"backoffLimit": r.choice([0, 1, 3, 6])}
            if r.random() < 0.5:
                spec["ttlSecondsAfterFinished"] = 3600
            spec["template"] = self.template(False, restart=r.choice(["Never", "OnFailure"]))
        else:  # CronJob
            sched = r.choice(["*/5 * * * *", "0 * * * *", "30 2 * * *", "0 4 * * 0", "@daily", "@hourly"])
            spec = {"schedule": SQuoted(sched) if r.random() < 0.5 else Quoted(sched),
                    "concurrencyPolicy": r.choice(["Forbid", "Replace", "Allow"]),
                    "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                    "jobTemplate": {"spec": {"backoffLimit": 2,
                                             "template": self.template(False, restart="OnFailure")}}}
        doc["spec"] = spec
        return doc

    def service(self):
        r = self.r
        t = weighted(r, [("ClusterIP", 75), ("NodePort", 10), ("LoadBalancer", 8), ("Headless", 7)])
        doc = {"apiVersion": "v1", "kind": "Service", "metadata": self.metadata()}
        spec = {}
        if t == "Headless":
            spec["clusterIP"] = "None"
        elif t != "ClusterIP" or r.random() < 0.5:
            spec["type"] = t
        spec["selector"] = {"app.kubernetes.io/name": self.name}
        ports = [{"name": "http", "port": r.choice([80, 443, 8080]), "targetPort": "http",
                  "protocol": "TCP"}]
        if t == "NodePort":
            ports[0]["nodePort"] = r.randrange(30000, 32768)
        if r.random() < 0.3:
            ports.append({"name": "metrics", "port": 9100, "targetPort": 9100})
        spec["ports"] = ports
        doc["spec"] = spec
        return doc

    def configmap(self):
        r = self.r
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": self.metadata(), "data": {}}
        data = doc["data"]
        for k in r.sample(ENV_NAMES, r.randrange(1, 8)):
            data[k] = r.choice(ENV[k]).replace("{t}", self.team)
        if r.random() < 0.6:
            lines = [f"server:\n  port: {r.choice([8080, 9090])}\n  timeout: 30s\n", "upstreams:\n"]
            for j in range(r.randrange(1, 12)):
                lines.append(f"  - name: {r.choice(TEAMS)}-{j}\n    url: http://{r.choice(TEAMS)}.svc:80\n")
            data["config.yaml"] = Lit("".join(lines))
        if r.random() < 0.2:
            data["nginx.conf"] = Lit("server {\n  listen 8080;\n  location / {\n    proxy_pass http://127.0.0.1:9000;\n  }\n}\n")
        return doc

    def role(self, cluster):
        r = self.r
        doc = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole" if cluster else "Role",
               "metadata": self.metadata(namespaced=not cluster)}
        rules = []
        for _ in range(r.randrange(1, 5)):
            rules.append({"apiGroups": Flow([r.choice(["", "apps", "batch", "networking.k8s.io"])]),
                          "resources": Flow(r.sample(["pods", "configmaps", "secrets", "services",
                                                      "deployments", "jobs", "ingresses"], r.randrange(1, 3))),
                          "verbs": Flow(r.sample(["get", "list", "watch", "create", "update", "delete"],
                                                 r.randrange(1, 4)))})
        if r.random() < 0.2:
            w = r.choice(["verbs", "resources", "apiGroups", "all"])
            target = rules[r.randrange(len(rules))]
            for f in (["verbs", "resources", "apiGroups"] if w == "all" else [w]):
                target[f] = Flow(["*"])
        doc["rules"] = rules
        return doc

    def ingress(self):
        r = self.r
        md = self.metadata()
        md.setdefault("annotations", {})["nginx.ingress.kubernetes.io/proxy-body-size"] = Quoted("8m")
        host = f"{self.name}.{r.choice(['example.com', 'internal.example.com'])}"
        spec = {"ingressClassName": "nginx"}
        if r.random() < 0.6:
            spec["tls"] = [{"hosts": [host], "secretName": f"{self.name}-tls"}]
        spec["rules"] = [{"host": host, "http": {"paths": [
            {"path": p, "pathType": "Prefix", "backend": {"service": {
                "name": self.name, "port": {"name": "http"}}}}
            for p in r.sample(["/", "/api", "/static", "/v1", "/v2"], r.randrange(1, 4))]}}]
        return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": md, "spec": spec}

    def document(self):
        kind = weighted(self.r, KINDS)
        if kind in ("Deployment", "Pod", "StatefulSet", "DaemonSet", "Job", "CronJob"):
            return kind, self.workload(kind)
        if kind == "Service":
            return kind, self.service()
        if kind == "ConfigMap":
            return kind, self.configmap()
        if kind in ("Role", "ClusterRole"):
            return kind, self.role(kind == "ClusterRole")
        return kind, self.ingress()


def generate(count, seed):
    """Yield (kind, yaml_text, doc) for each document, in order."""
    r = random.Random(seed)
    for i in range(count):
        g = Gen(r, i)
        kind, doc = g.document()
        seq_indent = 2 if r.random() < 0.7 else 0  # kubectl style vs. Helm/"compact" style
        comment = None
        if r.random() < 0.15:
            comment = f"Source: {g.team}/templates/{kind.lower()}.yaml"
        yield kind, to_yaml(doc, seq_indent, comment), doc


OWN_FILE = re.compile(r"^[0-9]{5,}-[a-z]+\.(yaml|json)$")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory (created if missing)")
    ap.add_argument("--count", type=int, default=10000, help="number of documents (default 10000)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--multi", type=int, default=1, help="documents per file, separated by --- (default 1)")
    ap.add_argument("--format", choices=["yaml", "json"], default="yaml")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.count < 0 or a.multi < 1:
        ap.error("--count must be >= 0 and --multi >= 1")
    if a.format == "json" and a.multi != 1:
        ap.error("--format json writes one document per file (--multi 1)")

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for f in os.listdir(out):
        if OWN_FILE.match(f):
            (out / f).unlink()

    nfiles = (a.count + a.multi - 1) // a.multi
    width = max(5, len(str(max(nfiles - 1, 0))))
    kinds, total_bytes, files = {}, 0, 0
    bundle, bundle_no = [], 0

    def write(name, text):
        nonlocal total_bytes, files
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        total_bytes += len(data)
        files += 1

    for i, (kind, text, doc) in enumerate(generate(a.count, a.seed)):
        kinds[kind] = kinds.get(kind, 0) + 1
        if a.format == "json":
            write(f"{i:0{width}d}-{kind.lower()}.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        elif a.multi == 1:
            write(f"{i:0{width}d}-{kind.lower()}.yaml", text)
        else:
            bundle.append(text)
            if len(bundle) == a.multi:
                write(f"{bundle_no:0{width}d}-multi.yaml", "---\n".join(bundle))
                bundle, bundle_no = [], bundle_no + 1
    if bundle:
        write(f"{bundle_no:0{width}d}-multi.yaml", "---\n".join(bundle))

    if not a.quiet:
        summary = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        print(f"wrote {a.count} documents in {files} files ({total_bytes / 1e6:.1f} MB) to {out} "
              f"[seed {a.seed}, multi {a.multi}, {a.format}]: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
