#!/usr/bin/env bash
# Regenerate BENCHMARKS.md at the repository root.
#
#   bash scripts/bench.sh [--quick] [--with-opa] [--runs N] [--no-build]
#                         [--no-criterion] [--no-load-test] [--out FILE]
#
# What it measures: `target/release/policy check DIR -o json` with the
# built-in policy library over a generated corpus of Kubernetes manifests
# (scripts/gen-k8s-corpus.py, seed 42):
#   - wall time (median of N runs: hyperfine if available, else a date loop),
#   - peak memory (maximum resident set size from /usr/bin/time -v),
#   - on 1,000 and 10,000 files (memory must not grow with the file count),
#     on the 10,000 documents packed 100 per file, and single-threaded.
# --quick: 100/1,000 files and fewer runs (a smoke test, not for the record).
# --with-opa: also time the real OPA engine (../shared/tools/opa-ref) on the
#   same policies and a sample of the same manifests as JSON; skipped cleanly
#   when opa-ref is not there.
# The criterion section is filled from `cargo bench --bench engine` when
# benches/engine.rs exists.
# The webhook section comes from scripts/load-test.sh (`policy serve` over TLS
# under oha); --no-load-test skips it, and it says so when oha is missing.
#
# Needs: cargo, python3. Installs hyperfine and GNU time with apt-get when
# missing and running as root; works without them otherwise (BENCH_TIMER=loop
# forces the date loop). No other network (--with-opa runs opa-ref's setup.sh,
# which pip-installs its wheel once).
set -euo pipefail
# A captured backtrace per internal error (RUST_BACKTRACE=1 in some shells) is not what users run.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; }

QUICK=0
WITH_OPA=0
BUILD=1
CRITERION=1
LOAD_TEST=1
RUNS=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --with-opa) WITH_OPA=1 ;;
    --no-build) BUILD=0 ;;
    --no-criterion) CRITERION=0 ;;
    --no-load-test) LOAD_TEST=0 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift ;;
    --runs=*) RUNS="${1#--runs=}" ;;
    --out) OUT="${2:?--out needs a file}"; shift ;;
    --out=*) OUT="${1#--out=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/BENCHMARKS.md}"

SEED=42
PACK=100                       # documents per file in the packed corpus
if [ "$QUICK" = 1 ]; then
  COUNT=1000; SMALL=100; RUNS="${RUNS:-3}"; MEM_RUNS=1; OPA_SAMPLE=200; OPA_REPEAT=3
else
  COUNT=10000; SMALL=1000; RUNS="${RUNS:-10}"; MEM_RUNS=3; OPA_SAMPLE=1000; OPA_REPEAT=5
fi
BIN="target/release/policy"
GEN="scripts/gen-k8s-corpus.py"
CORES="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/railyard-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

command -v python3 >/dev/null || die "python3 is required (the corpus generator and the statistics use it)"
command -v cargo >/dev/null || die "cargo is required"

# --- tools -----------------------------------------------------------------
APT_UPDATED=0
apt_install() { # package...: only as root with apt-get; never fatal
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$APT_UPDATED" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
    log "apt-get update (to install $*)"
    apt-get update -qq >/dev/null 2>&1 || true
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

if ! command -v hyperfine >/dev/null 2>&1; then
  apt_install hyperfine && log "installed hyperfine" || log "hyperfine not available: timing with a date loop"
fi
HAVE_HYPERFINE=0; command -v hyperfine >/dev/null 2>&1 && HAVE_HYPERFINE=1
[ "${BENCH_TIMER:-}" = loop ] && HAVE_HYPERFINE=0   # force the fallback (for testing it)

gnu_time_ok() { /usr/bin/time -v true >/dev/null 2>&1; }
if ! gnu_time_ok; then
  apt_install time && log "installed GNU time" || true
fi
HAVE_TIME=0; gnu_time_ok && HAVE_TIME=1
[ "$HAVE_TIME" = 1 ] || log "GNU /usr/bin/time not available: no memory figures"

# --- build -----------------------------------------------------------------
# The tree being measured: read before building, not after the runs (edits
# made while they run are not in the binary).
if COMMIT="$(git rev-parse --short HEAD 2>/dev/null)"; then
  git diff --quiet HEAD -- 2>/dev/null || COMMIT="$COMMIT (with uncommitted changes)"
else
  COMMIT="an uncommitted tree"
fi
if [ "$BUILD" = 1 ]; then
  log "cargo build --release"
  cargo build --release >&2
fi
[ -x "$BIN" ] || die "$BIN not found (run without --no-build)"

# --- corpora ---------------------------------------------------------------
GEN_HASH="$(sha256sum "$GEN" | cut -c1-16)"

corpus_dir() { # count multi [format] -> path
  local count="$1" multi="$2" fmt="${3:-yaml}"
  if [ "$count" = 10000 ] && [ "$multi" = 1 ] && [ "$fmt" = yaml ]; then
    echo "target/bench-corpus"
  else
    local d="target/bench-corpus-$count"
    [ "$multi" = 1 ] || d="$d-x$multi"
    [ "$fmt" = yaml ] || d="$d-$fmt"
    echo "$d"
  fi
}

ensure_corpus() { # count multi [format]: generate unless present with the same parameters
  local count="$1" multi="$2" fmt="${3:-yaml}" dir stamp want
  dir="$(corpus_dir "$count" "$multi" "$fmt")"
  stamp="$dir.stamp"   # beside the directory, so that `policy check DIR` never sees it
  want="count=$count seed=$SEED multi=$multi format=$fmt generator=$GEN_HASH"
  if [ -d "$dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "corpus $dir is up to date ($want)"
  else
    log "generating $dir ($want)"
    rm -f "$stamp"
    python3 "$GEN" --out "$dir" --count "$count" --seed "$SEED" --multi "$multi" --format "$fmt"
    echo "$want" > "$stamp"
  fi
}

dir_files() { find "$1" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.json' \) | wc -l | tr -d ' '; }
dir_bytes() { find "$1" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.json' \) -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

# --- measurement -----------------------------------------------------------
# Each measure_* writes KEY=VALUE lines to a result file; the report reads them.

json_summary() { # json-output-file -> "documents failures warnings errors" (or empty)
  python3 - "$1" <<'PY' 2>/dev/null || true
import json, sys
try:
    s = json.load(open(sys.argv[1]))["summary"]
    print(s.get("documents", ""), s.get("failures", ""), s.get("warnings", ""), s.get("errors", ""))
except Exception:
    pass
PY
}

time_runs() { # label runs cmd... -> prints "median mean stddev min max" in seconds
  local label="$1" runs="$2"; shift 2
  if [ "$HAVE_HYPERFINE" = 1 ]; then
    local q=() a
    for a in "$@"; do q+=("$(printf '%q' "$a")"); done
    # -i: exit code 1 (findings) is the normal outcome here.
    hyperfine --style basic --warmup 1 --runs "$runs" -i \
      --export-json "$WORK/hf.json" "${q[*]}" >&2 || true
    python3 - "$WORK/hf.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["mean"], r.get("stddev") or 0.0, r["min"], r["max"])
PY
  else
    local i t0 t1
    : > "$WORK/times"
    "$@" > /dev/null 2>&1 || true                      # warm-up
    for ((i = 1; i <= runs; i++)); do
      t0=$(date +%s%N)
      "$@" > /dev/null 2>&1 || true
      t1=$(date +%s%N)
      echo $(( t1 - t0 )) >> "$WORK/times"
      log "  $label run $i/$runs: $(awk -v n=$(( t1 - t0 )) 'BEGIN {printf "%.3f s", n / 1e9}')"
    done
    python3 - "$WORK/times" <<'PY'
import statistics, sys
t = [int(x) / 1e9 for x in open(sys.argv[1]) if x.strip()]
print(statistics.median(t), statistics.fmean(t), statistics.stdev(t) if len(t) > 1 else 0.0, min(t), max(t))
PY
  fi
}

mem_runs() { # runs cmd... -> prints "rss_kb user_s sys_s" (medians) or "na na na"
  local runs="$1"; shift
  if [ "$HAVE_TIME" = 0 ]; then echo "na na na"; return; fi
  local i
  : > "$WORK/mem"
  for ((i = 1; i <= runs; i++)); do
    /usr/bin/time -v "$@" > /dev/null 2> "$WORK/time.err" || true
    awk -F': ' '
      /Maximum resident set size/ {rss = $2}
      /User time \(seconds\)/     {u = $2}
      /System time \(seconds\)/   {s = $2}
      END {print rss, u, s}' "$WORK/time.err" >> "$WORK/mem"
  done
  python3 - "$WORK/mem" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) == 3]
if not rows:
    print("na na na")
else:
    print(*(statistics.median(float(r[i]) for r in rows) for i in range(3)))
PY
}

ROWS="$WORK/rows.tsv"
: > "$ROWS"
measure() { # label dir [extra policy-check flags...]
  local label="$1" dir="$2"; shift 2
  local cmd=("$BIN" check "$dir" -o json "$@")
  log "measuring: ${cmd[*]}"
  local rc=0
  "${cmd[@]}" > "$WORK/out.json" 2> "$WORK/out.err" || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    log "warning: exit code $rc (expected 0 or 1); stderr: $(head -c 400 "$WORK/out.err")"
  fi
  local summary docs fails warns errs
  summary="$(json_summary "$WORK/out.json")"
  read -r docs fails warns errs <<< "${summary:-   }" || true
  local t m
  t="$(time_runs "$label" "$RUNS" "${cmd[@]}")"
  m="$(mem_runs "$MEM_RUNS" "${cmd[@]}")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$label" "$(dir_files "$dir")" "$(dir_bytes "$dir")" "${docs:-?}" "${fails:-?}" "${warns:-?}" \
    "${errs:-?}" "$rc" "$t" "$m" "$*" >> "$ROWS"
}

ensure_corpus "$SMALL" 1
ensure_corpus "$COUNT" 1
ensure_corpus "$COUNT" "$PACK"

measure "$(thousands "$SMALL") files" "$(corpus_dir "$SMALL" 1)"
measure "$(thousands "$COUNT") files" "$(corpus_dir "$COUNT" 1)"
measure "$(thousands "$COUNT") documents in $(thousands $(( (COUNT + PACK - 1) / PACK ))) files ($PACK per file)" \
  "$(corpus_dir "$COUNT" "$PACK")"
measure "$(thousands "$SMALL") files, --jobs 1" "$(corpus_dir "$SMALL" 1)" --jobs 1
measure "$(thousands "$COUNT") files, --engine vm" "$(corpus_dir "$COUNT" 1)" --engine vm

# --- Terraform plan ------------------------------------------------------------
# One generated `terraform show -json` plan of 5,000 resources (AWS, Azure and
# Google; scripts/gen-tf-plan.py, seed 42): one document, parsed once, every
# Terraform rule evaluated over it. Same size in --quick mode.
TF_COUNT=5000
TF_GEN="scripts/gen-tf-plan.py"
TF_DIR="target/bench-tf-plan-$TF_COUNT"
tf_want="count=$TF_COUNT seed=$SEED generator=$(sha256sum "$TF_GEN" | cut -c1-16)"
if [ -f "$TF_DIR/plan.json" ] && [ "$(cat "$TF_DIR.stamp" 2>/dev/null)" = "$tf_want" ]; then
  log "plan $TF_DIR/plan.json is up to date ($tf_want)"
else
  log "generating $TF_DIR/plan.json ($tf_want)"
  rm -f "$TF_DIR.stamp"
  python3 "$TF_GEN" --out "$TF_DIR/plan.json" --count "$TF_COUNT" --seed "$SEED"
  echo "$tf_want" > "$TF_DIR.stamp"
fi
measure "Terraform plan of $(thousands "$TF_COUNT") resources (1 document)" "$TF_DIR"

# --- OPA side by side (optional) ---------------------------------------------
OPA_MD="$WORK/opa.md"
: > "$OPA_MD"
find_opa_ref() {
  local d candidates=("$ROOT/../shared/tools/opa-ref")
  [ -n "${OPA_REF_DIR:-}" ] && candidates=("$OPA_REF_DIR")   # explicit: only there
  for d in "${candidates[@]}"; do
    [ -n "$d" ] && [ -f "$d/opa_eval.py" ] && [ -f "$d/setup.sh" ] && { (cd "$d" && pwd); return 0; }
  done
  return 1
}

opa_section() {
  local ref
  if ! ref="$(find_opa_ref)"; then
    echo "_Skipped: opa-ref not found (set OPA_REF_DIR, or see ../shared/tools/opa-ref)._" > "$OPA_MD"
    return
  fi
  log "OPA reference: $ref"
  if ! bash "$ref/setup.sh" > "$WORK/opa-setup.log" 2>&1; then
    echo "_Skipped: $ref/setup.sh failed: $(tail -n 3 "$WORK/opa-setup.log" | tr '\n' ' ')_" > "$OPA_MD"
    return
  fi
  local opa_py=(python3 "$ref/opa_eval.py")
  local opa_version
  opa_version="$("${opa_py[@]}" --version 2>/dev/null \
    | python3 -c 'import json, sys; d = json.load(sys.stdin); print("OPA %s (Go %s)" % (d["opa"], d["go"].removeprefix("go")))' \
    || echo "OPA (version unknown)")"

  # The same documents as the benchmark corpus (the generator is sequential,
  # so the first N documents do not depend on --count), as JSON for OPA and
  # as YAML for Railyard.
  ensure_corpus "$OPA_SAMPLE" 1 json
  ensure_corpus "$OPA_SAMPLE" 1
  ensure_corpus 1 1
  local json_dir yaml_dir one_dir
  json_dir="$(corpus_dir "$OPA_SAMPLE" 1 json)"
  yaml_dir="$(corpus_dir "$OPA_SAMPLE" 1)"
  one_dir="$(corpus_dir 1 1)"

  # Policies: every non-test .rego file of the built-in library. Query: a
  # generated wrapper that collects exactly the deny/violation/warn rule sets
  # of the railyard.kubernetes.* packages, i.e. the rules Railyard evaluates
  # for a Kubernetes document (helper rules are evaluated only as needed).
  local policy_args=() data_args=() f
  while IFS= read -r f; do policy_args+=(--policy "$f"); done < <(find policies -name '*.rego' ! -name '*_test.rego' | sort)
  while IFS= read -r f; do data_args+=(--data "$f"); done < <(find policies -name '*.json' | sort)
  if find policies \( -name '*.yaml' -o -name '*.yml' \) | grep -q .; then
    if python3 -c 'import yaml' 2>/dev/null; then
      mkdir -p "$WORK/opa-data"
      while IFS= read -r f; do
        local j="$WORK/opa-data/$(echo "$f" | tr '/' '_').json"
        python3 -c 'import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2],"w"))' "$f" "$j"
        data_args+=(--data "$j")
      done < <(find policies \( -name '*.yaml' -o -name '*.yml' \) | sort)
    else
      log "warning: YAML data files in policies/ are not passed to OPA (no PyYAML)"
    fi
  fi
  [ "${#policy_args[@]}" -gt 0 ] || { echo "_Skipped: no .rego files under policies/._" > "$OPA_MD"; return; }
  python3 - "$WORK/bench_wrapper.rego" policies <<'PY'
import re, sys
from pathlib import Path
out, root = sys.argv[1], Path(sys.argv[2])
rule_re = re.compile(r"^((?:deny|violation|warn)(?:_[A-Za-z0-9_]+)?)\s*(?:contains|\[|:=|=|if|\{)", re.M)
lines = ["package railyard_bench", "", "import rego.v1", ""]
n = 0
for f in sorted(root.rglob("*.rego")):
    if f.name.endswith("_test.rego"):
        continue
    text = f.read_text()
    m = re.search(r"^package\s+([A-Za-z0-9_.]+)", text, re.M)
    if not m or not m.group(1).startswith("railyard.kubernetes."):
        continue
    pkg = m.group(1)
    for rule in sorted(set(rule_re.findall(text))):
        lines.append(f'findings contains ["{pkg}", "{rule}", x] if {{ some x in data.{pkg}.{rule} }}')
        n += 1
open(out, "w").write("\n".join(lines) + "\n")
print(n, file=sys.stderr)
PY
  policy_args+=(--policy "$WORK/bench_wrapper.rego")
  local query="data.railyard_bench.findings"

  log "OPA: counting findings on $OPA_SAMPLE documents"
  local opa_findings
  if ! "${opa_py[@]}" "${policy_args[@]}" "${data_args[@]}" --input "$json_dir" --query "$query" > "$WORK/opa-results.jsonl" 2> "$WORK/opa.err"; then
    echo "_Skipped: OPA could not evaluate the library: $(head -c 600 "$WORK/opa.err" | tr '\n' ' ')_" > "$OPA_MD"
    return
  fi
  opa_findings="$(python3 -c 'import json,sys; print(sum(len(json.loads(l).get("result") or []) for l in open(sys.argv[1]) if l.strip()))' "$WORK/opa-results.jsonl")"

  log "OPA: timing $OPA_SAMPLE documents x $OPA_REPEAT passes"
  "${opa_py[@]}" "${policy_args[@]}" "${data_args[@]}" --input "$json_dir" --query "$query" \
    --repeat "$OPA_REPEAT" --json > "$WORK/opa-timing.json" 2>> "$WORK/opa.err" \
    || { echo "_Skipped: OPA timing failed: $(tail -c 600 "$WORK/opa.err" | tr '\n' ' ')_" > "$OPA_MD"; return; }

  log "Railyard: --jobs 1 on the same $OPA_SAMPLE documents, and on 1 document (fixed cost)"
  local rc=0 ry_summary t_n t_1
  "$BIN" check "$yaml_dir" -o json --jobs 1 > "$WORK/ry.json" 2>/dev/null || rc=$?
  ry_summary="$(json_summary "$WORK/ry.json")"
  t_n="$(time_runs "railyard $OPA_SAMPLE docs, 1 job" "$RUNS" "$BIN" check "$yaml_dir" -o json --jobs 1)"
  t_1="$(time_runs "railyard 1 doc" "$RUNS" "$BIN" check "$one_dir" -o json --jobs 1)"
  local v_n v_1
  v_n="$(time_runs "railyard vm $OPA_SAMPLE docs, 1 job" "$RUNS" "$BIN" check "$yaml_dir" -o json --jobs 1 --engine vm)"
  v_1="$(time_runs "railyard vm 1 doc" "$RUNS" "$BIN" check "$one_dir" -o json --jobs 1 --engine vm)"

  python3 - "$WORK/opa-timing.json" "$OPA_SAMPLE" "$opa_findings" "$ry_summary" "$rc" "$t_n" "$t_1" \
    "$opa_version" "$OPA_REPEAT" "$v_n" "$v_1" > "$OPA_MD" <<'PY'
import json, sys
opa = json.load(open(sys.argv[1]))
n = int(sys.argv[2]); opa_findings = sys.argv[3]
ry = (sys.argv[4].split() + ["?"] * 4)[:4]
rc = sys.argv[5]
t_n = float(sys.argv[6].split()[0]); t_1 = float(sys.argv[7].split()[0])
version, repeat = sys.argv[8], sys.argv[9]
v_n = float(sys.argv[10].split()[0]); v_1 = float(sys.argv[11].split()[0])
e = opa["per_eval"]
marginal_us = (t_n - t_1) / max(n - 1, 1) * 1e6
vm_marginal_us = (v_n - v_1) / max(n - 1, 1) * 1e6
end_to_end_us = t_n / n * 1e6
ry_findings = "?"
if ry[1] != "?" and ry[2] != "?":
    ry_findings = str(int(ry[1]) + int(ry[2]))
print(f"Same policies (every non-test `.rego` file under `policies/`), same {n:,} documents "
      f"(the first {n:,} of the corpus; JSON for OPA, YAML for Railyard), one thread each.\n")
print("| engine | what is timed | per document (median) |")
print("|---|---|---|")
print(f"| {version}, in-process (opa-ref) | one evaluation of the deny/violation/warn sets of every `railyard.kubernetes.*` package: input JSON decoding + evaluation + result encoding; policies compiled once ({repeat} passes, p90 {e['p90_us']:.0f} µs) | {e['median_us']:.0f} µs |")
print(f"| Railyard `policy check --jobs 1` | marginal cost: (wall({n:,} docs) − wall(1 doc)) ÷ {n - 1:,}: reading, YAML parsing with spans, evaluation, findings, JSON report | {marginal_us:.0f} µs |")
print(f"| Railyard `policy check --jobs 1` | end to end: wall({n:,} docs) ÷ {n:,}, including start-up and policy compilation ({t_1 * 1e3:.0f} ms for one document) | {end_to_end_us:.0f} µs |")
print(f"| Railyard `policy check --jobs 1 --engine vm` | marginal cost, as above, on regorus' bytecode VM (the webhook's engine) | {vm_marginal_us:.0f} µs |")
print()
print(f"**Ratio (Railyard marginal ÷ OPA per evaluation): {marginal_us / e['median_us']:.2f}× on the interpreter "
      f"(`policy check`'s default), {vm_marginal_us / e['median_us']:.2f}× on the VM** "
      "(below 1 means Railyard is faster per document).\n")
print(f"Sanity check on the same documents: OPA produced {opa_findings} deny/violation/warn elements; "
      f"Railyard reported {ry_findings} findings (failures + warnings; exit code {rc}). "
      "They can differ where Railyard skips packages by `custom.targets` or de-duplicates findings.\n")
print("Caveats: OPA is timed inside one process through a ctypes bridge (its per-evaluation figure excludes "
      "process start-up, file reading and YAML parsing); Railyard is timed as a whole process, so its "
      "marginal figure is the fairer comparison.")
PY
}
if [ "$WITH_OPA" = 1 ]; then
  opa_section
else
  echo "_Not run (use \`bash scripts/bench.sh --with-opa\` where ../shared/tools/opa-ref exists)._" > "$OPA_MD"
fi

# --- criterion -------------------------------------------------------------
CRIT_MD="$WORK/criterion.md"
if [ "$CRITERION" = 0 ]; then
  echo "_Not run (--no-criterion)._" > "$CRIT_MD"
elif [ ! -f benches/engine.rs ]; then
  echo "_Skipped: benches/engine.rs does not exist._" > "$CRIT_MD"
else
  crit_args=(--noplot)
  [ "$QUICK" = 1 ] && crit_args+=(--warm-up-time 1 --measurement-time 2)
  log "cargo bench --bench engine -- ${crit_args[*]}"
  if cargo bench --bench engine -- "${crit_args[@]}" > "$WORK/criterion.log" 2>&1; then
    {
      echo '```text'
      # A long benchmark name goes on its own line before "time:": keep it.
      awk '/time:/ { if ($0 ~ /^[[:space:]]/ && prev !~ /time:/) print prev; print } { prev = $0 }' "$WORK/criterion.log"
      echo '```'
    } > "$CRIT_MD"
  else
    { echo "_cargo bench failed:_"; echo '```text'; tail -n 20 "$WORK/criterion.log"; echo '```'; } > "$CRIT_MD"
  fi
fi

# --- webhook load test -----------------------------------------------------
WEBHOOK_MD="$WORK/webhook.md"
if [ "$LOAD_TEST" = 0 ]; then
  echo "_Not run (--no-load-test)._" > "$WEBHOOK_MD"
elif [ ! -f scripts/load-test.sh ]; then
  echo "_Skipped: scripts/load-test.sh does not exist._" > "$WEBHOOK_MD"
else
  lt_args=(--no-build --out "$WEBHOOK_MD")
  [ "$QUICK" = 1 ] && lt_args+=(--quick)
  log "bash scripts/load-test.sh ${lt_args[*]}"
  if ! bash scripts/load-test.sh "${lt_args[@]}" 2> "$WORK/load-test.log"; then
    { echo "_scripts/load-test.sh failed:_"; echo '```text'; tail -n 20 "$WORK/load-test.log"; echo '```'; } > "$WEBHOOK_MD"
  fi
fi

# --- report ----------------------------------------------------------------
CPU_MODEL="$(lscpu 2>/dev/null | awk -F: '/^Model name/ {sub(/^[ \t]+/, "", $2); print $2; exit}')"
[ -n "$CPU_MODEL" ] || CPU_MODEL="$(awk -F: '/model name/ {sub(/^[ \t]+/, "", $2); print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)"
MEM_TOTAL="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
RUSTC="$(rustc --version 2>/dev/null || echo unknown)"
POLICY_VERSION="$("$BIN" --version 2>/dev/null | head -n 1 || true)"
if [ "$HAVE_HYPERFINE" = 1 ]; then
  TIMER="$(hyperfine --version), 1 warm-up run, $RUNS timed runs"
else
  TIMER="\`date +%s%N\` loop, 1 warm-up run, $RUNS timed runs"
fi
MODE="full"; CMDLINE="bash scripts/bench.sh"
[ "$QUICK" = 1 ] && { MODE="quick (smoke test: small corpus, few runs)"; CMDLINE="$CMDLINE --quick"; }
[ "$WITH_OPA" = 1 ] && CMDLINE="$CMDLINE --with-opa"
KINDS="$(find "$(corpus_dir "$COUNT" 1)" -maxdepth 1 -name '*.yaml' -printf '%f\n' | sed 's/^[0-9]*-//; s/\.yaml$//' \
  | sort | uniq -c | sort -rn | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')"

python3 - "$ROWS" "$CORES" "$HAVE_TIME" > "$WORK/table.md" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cores = int(sys.argv[2]); have_time = sys.argv[3] == "1"

def f(x, fmt):
    try:
        return fmt.format(float(x))
    except (TypeError, ValueError):
        return "n/a"

print("| corpus | files | MB | documents | failures / warnings / errors | exit | median wall | mean ± sd | documents/s | wall × cores / doc | CPU / doc | peak RSS |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for r in rows:
    label, files, size, docs, fails, warns, errs, rc = r[:8]
    med, mean, sd, lo, hi = (r[8].split() + ["nan"] * 5)[:5]
    rss, user, sys_ = (r[9].split() + ["na"] * 3)[:3]
    extra = r[10] if len(r) > 10 else ""
    cores_used = 1 if "--jobs 1" in extra else cores
    try:
        n = int(docs)
    except ValueError:
        n = 0
    dps = per_doc = cpu_doc = "n/a"
    if n and med != "nan":
        dps = f"{n / float(med):,.0f}"
        per_doc = f"{float(med) * cores_used / n * 1e6:,.0f} µs"
        if rss != "na":
            cpu_doc = f"{(float(user) + float(sys_)) / n * 1e6:,.0f} µs"
    rss_s = f"{float(rss) / 1024:,.1f} MiB" if rss not in ("na", "") else "n/a"
    print(f"| {label} | {int(files):,} | {int(size) / 1e6:.1f} | {f'{n:,}' if n else docs} | {fails} / {warns} / {errs} | {rc} "
          f"| {f(med, '{:.3f} s')} | {f(mean, '{:.3f}')} ± {f(sd, '{:.3f}')} s | {dps} | {per_doc} | {cpu_doc} | {rss_s} |")
if len(rows) >= 2:
    try:
        a, b = float(rows[0][9].split()[0]), float(rows[1][9].split()[0])
        print(f"\nPeak memory, {rows[1][0]} vs {rows[0][0]}: {b / a:.2f}× "
              f"({int(rows[1][1]) / int(rows[0][1]):.0f}× the files).")
    except (ValueError, IndexError, ZeroDivisionError):
        pass
PY

{
  echo "# Benchmarks"
  echo
  echo "<!-- Generated by scripts/bench.sh: do not edit by hand, re-run \`$CMDLINE\`. -->"
  echo
  echo "\`policy check DIR -o json\` with the built-in policy library over generated Kubernetes manifests."
  echo "Mode: **$MODE**."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $CPU_MODEL |"
  echo "| cores | $CORES (\`nproc\`) |"
  echo "| memory | $MEM_TOTAL |"
  echo "| OS | $(uname -srm) |"
  echo "| rustc | $RUSTC |"
  echo "| railyard | ${POLICY_VERSION:-policy} at $COMMIT, \`cargo build --release\` |"
  echo "| date | $(date -u +'%Y-%m-%d %H:%M UTC') |"
  echo "| timing | $TIMER; memory: GNU \`/usr/bin/time -v\`, median of $MEM_RUNS run(s) |"
  echo
  echo "## Corpus"
  echo
  echo "\`python3 scripts/gen-k8s-corpus.py --count N --seed $SEED [--multi $PACK]\`: one document per file"
  echo "(except the packed row), deterministic; $(thousands "$COUNT") documents: ${KINDS:-see the generator}."
  echo "About a third of the workloads are fully compliant; the others break one to three rules."
  echo "Smaller corpora are prefixes of the larger one (same documents)."
  echo
  echo "## Results"
  echo
  cat "$WORK/table.md"
  echo
  echo "The Terraform row is one \`terraform show -json\` plan of $(thousands "$TF_COUNT") resources"
  echo "(\`python3 $TF_GEN --count $TF_COUNT --seed $SEED\`): one document, parsed once, all Terraform rules over it;"
  echo "its per-document columns are per plan."
  echo
  echo "How to read it:"
  echo
  echo "- **median wall**: elapsed time of the whole process (start-up, policy compilation, file walk,"
  echo "  parsing, evaluation, sorting, JSON output to /dev/null); exit code 1 is expected (there are failures)."
  echo "- **documents/s** = documents ÷ median wall time."
  echo "- **wall × cores / doc** = median wall time × cores ÷ documents: the time each document costs one core"
  echo "  when all $CORES cores are busy for the whole run (cores = 1 for the \`--jobs 1\` row). It includes the"
  echo "  fixed start-up cost and any idle core time, so it is an upper bound of the real per-document cost."
  echo "- **CPU / doc** = (user + system CPU time reported by \`/usr/bin/time\`) ÷ documents."
  echo "- **peak RSS**: maximum resident set size (\`/usr/bin/time -v\`). It should not grow with the number"
  echo "  of files: compare the first two rows."
  echo
  echo "## Side by side with OPA"
  echo
  cat "$OPA_MD"
  echo
  echo "## Criterion micro-benchmarks"
  echo
  echo "\`cargo bench --bench engine -- --noplot\` (lines with \`time:\`: [low median high] of the estimate)."
  echo "\`evaluate/*\`: one document against a policy set (\`_interpreter\`: regorus' interpreter; \`_single_engine\`: the"
  echo "interpreter on one engine holding the whole library; the others on the VM). \`webhook/*\`: the webhook's CPU path"
  echo "for one AdmissionReview body of the load test below (reading it, deciding with the built-in library and no"
  echo "decision cache, metrics, the response), without TLS, HTTP or the log writer."
  echo
  echo "<!-- criterion -->"
  cat "$CRIT_MD"
  echo "<!-- /criterion -->"
  echo
  echo "## Admission webhook load test"
  echo
  echo "\`bash scripts/load-test.sh\` (run by this script)."
  echo
  cat "$WEBHOOK_MD"
} > "$WORK/BENCHMARKS.md"

mv "$WORK/BENCHMARKS.md" "$OUT"
log "wrote $OUT"
cat "$WORK/table.md" >&2
