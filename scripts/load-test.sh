#!/usr/bin/env bash
# Load test of `policy serve` over TLS on loopback, with oha as the load
# generator; prints a Markdown section (scripts/bench.sh puts it in BENCHMARKS.md).
#
#   bash scripts/load-test.sh [--quick] [--no-build] [--duration SECONDS] [--rounds N] [--out FILE]
#
# Four servers, one at a time: the full built-in library (`policy serve` with no
# -p) evaluating every request on the default engine (regorus' VM), the same on
# the interpreter, the same with the decision cache on, and the floor (an empty
# policy directory: reading, TLS, HTTP and JSON only).
# The traffic is a 50/50 mix of CREATE and UPDATE AdmissionReviews of realistic
# Deployments (tests/data/admission/create-deployment.json and
# update-deployment.json, with managedFields and an oldObject), two oha
# processes at once. For each server:
#   - throughput: as fast as 32 connections go;
#   - latency at a fixed rate of 1,000 requests/s: p50, p99;
#   - overload: 10x the measured throughput, then a recovery run at 200/s;
#   - memory: peak and final resident set of the server;
#   - the server's own CPU time per request while at full throughput.
# Throughput and latency are measured in --rounds rounds (3; 1 with --quick),
# the four servers in turn in each round, and reported as medians: a shared
# machine's speed drifts by tens of percent over minutes, and interleaving
# keeps the rows comparable. Overload and recovery run in the first round.
# The load generator runs on the same cores as the server. Only 127.0.0.1 is
# targeted; every run stops by itself (-z). Without oha (or openssl) it prints
# a note saying so and exits 0. oha: `cargo install oha --locked`.
set -euo pipefail
# A captured backtrace per internal error (RUST_BACKTRACE=1 in some shells) is not what users run.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE

QUICK=0; BUILD=1; DURATION=""; OUT=""; ROUNDS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --duration) DURATION="${2:?--duration needs seconds}"; shift ;;
    --out) OUT="${2:?--out needs a file}"; shift ;;
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "load-test.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -n "$DURATION" ] || { [ "$QUICK" = 1 ] && DURATION=3 || DURATION=10; }
[ -n "$ROUNDS" ] || { [ "$QUICK" = 1 ] && ROUNDS=1 || ROUNDS=3; }
BIN="$ROOT/target/release/policy"
log() { printf '[load-test %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
emit() { if [ -n "$OUT" ]; then cat > "$OUT"; else cat; fi; }

OHA="$(command -v oha || true)"
[ -n "$OHA" ] || [ ! -x "$HOME/.cargo/bin/oha" ] || OHA="$HOME/.cargo/bin/oha"
if [ -z "$OHA" ] || ! command -v openssl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  echo "_Skipped: needs oha (\`cargo install oha --locked\`), openssl and python3._" | emit
  exit 0
fi
if [ "$BUILD" = 1 ]; then
  log "cargo build --release"
  cargo build --release --bin policy >&2
fi
[ -x "$BIN" ] || { echo "_Skipped: $BIN not built._" | emit; exit 0; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/railyard-load.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/tls.key" \
  -out "$WORK/tls.crt" -days 1 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
mkdir -p "$WORK/empty"
CREATE="$ROOT/tests/data/admission/create-deployment.json"
UPDATE="$ROOT/tests/data/admission/update-deployment.json"
CORES="$(nproc 2>/dev/null || echo 2)"
PORT=18443; PROBE=18080

start_server() { # label policy-args...
  local label="$1"; shift
  "$BIN" serve --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key" \
    --addr "127.0.0.1:$PORT" --probe-addr "127.0.0.1:$PROBE" --shutdown-delay 0 \
    --reload-interval 0 "$@" > "$WORK/server-$label.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 100); do
    if python3 - "$PROBE" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=1)
PY
    sleep 0.1
  done
  log "server did not become ready: $(tail -c 400 "$WORK/server-$label.log")"
  return 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

memory() { # -> "peak_kib current_kib"
  awk '/VmHWM/ {p = $2} /VmRSS/ {r = $2} END {print p + 0, r + 0}' "/proc/$SERVER_PID/status" 2>/dev/null || echo "0 0"
}

# Two oha processes (CREATE and UPDATE) at once; each gets half the rate.
run_mix() { # name seconds [rate_total [connections_each]]
  local name="$1" seconds="$2" rate="${3:-}" q=() conns="${4:-16}"
  if [ -n "$rate" ]; then q=(-q "$(( (rate + 1) / 2 ))"); conns="${4:-64}"; fi
  local body pids=()
  for body in create update; do
    local file="$CREATE"; [ "$body" = update ] && file="$UPDATE"
    "$OHA" --no-tui --output-format json --insecure -z "${seconds}s" -c "$conns" "${q[@]}" \
      -m POST -T application/json -D "$file" "https://localhost:$PORT/validate" \
      > "$WORK/$name-$body.json" 2> "$WORK/$name-$body.err" &
    pids+=("$!")
  done
  wait "${pids[@]}" || true
}

summarize() { # name -> "rps p50_ms p99_ms total ok shed other errors"
  python3 - "$WORK/$1-create.json" "$WORK/$1-update.json" <<'PY'
import json, sys
rps = tot = ok = shed = other = errs = 0
p50 = []; p99 = []
for path in sys.argv[1:]:
    try:
        d = json.load(open(path))
    except Exception:
        continue
    s = d.get("summary", {})
    rps += s.get("requestsPerSec") or 0
    lp = d.get("latencyPercentiles", {})
    if lp.get("p50") is not None: p50.append(lp["p50"] * 1e3)
    if lp.get("p99") is not None: p99.append(lp["p99"] * 1e3)
    for code, n in (d.get("statusCodeDistribution") or {}).items():
        tot += n
        if code == "200": ok += n
        elif code == "429": shed += n
        else: other += n
    errs += sum((d.get("errorDistribution") or {}).values())
f = lambda xs, agg: f"{agg(xs):.2f}" if xs else "n/a"
print(f"{rps:.0f} {f(p50, max)} {f(p99, max)} {tot} {ok} {shed} {other} {errs}")
PY
}

# The server's own view: /metrics (plain HTTP on the probe port).
scrape() {
  python3 - "$PROBE" <<'PY' 2>/dev/null || true
import sys, urllib.request
print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode())
PY
}

# p50 and p99 of the requests between two scrapes, from the server's request
# histogram: the upper bound of the bucket each quantile falls in (buckets
# double from 0.25 ms), so "<= 1 ms" means between 0.5 and 1 ms.
histogram_quantiles() { # label -> "p50_ms p99_ms"
  python3 - "$WORK/$1-before.prom" "$WORK/$1-after.prom" <<'PY'
import re, sys
def buckets(path):
    out = {}
    for line in open(path):
        m = re.match(r'railyard_request_duration_seconds_bucket\{le="([^"]+)"\} (\S+)', line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out
try:
    before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
except OSError:
    print("n/a n/a"); sys.exit()
rows = sorted(((float("inf") if le == "+Inf" else float(le)), after[le] - before.get(le, 0)) for le in after)
total = rows[-1][1] if rows else 0
def q(p):
    for le, n in rows:
        if total and n >= p * total:
            return "n/a" if le == float("inf") else f"{le * 1e3:g}"
    return "n/a"
print(q(0.5), q(0.99))
PY
}

# The server's user + system CPU time so far, in clock ticks.
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0
}
TICKS_PER_SECOND="$(getconf CLK_TCK 2>/dev/null || echo 100)"

ROWS="$WORK/rows"
: > "$ROWS"
measure_server() { # round label description policy-args...
  local round="$1" label="$2" desc="$3"; shift 3
  local run="$label-r$round"
  log "round $round/$ROUNDS, server: $desc"
  start_server "$run" "$@"
  run_mix "$run-warm" 2 >/dev/null
  log "  throughput (${DURATION}s, 2x16 connections)"
  local ticks_before; ticks_before="$(cpu_ticks)"
  run_mix "$run-max" "$DURATION"
  local ticks=$(( $(cpu_ticks) - ticks_before ))
  local max; max="$(summarize "$run-max")"
  local max_rps="${max%% *}"
  log "  fixed rate 1000/s (${DURATION}s)"
  scrape > "$WORK/$run-before.prom"
  run_mix "$run-fixed" "$DURATION" 1000
  scrape > "$WORK/$run-after.prom"
  local fixed; fixed="$(summarize "$run-fixed")"
  local server_side; server_side="$(histogram_quantiles "$run")"
  local over="- - - - - - - - -" rec="- - - - - - - -" over_rate=0
  if [ "$round" = 1 ]; then
    over_rate=$(( max_rps * 10 ))
    [ "$over_rate" -ge 1000 ] || over_rate=1000
    log "  overload ${over_rate}/s (${DURATION}s)"
    # More connections than slots + queue (2 x 256 > concurrency + 128), so that shedding shows.
    run_mix "$run-over" "$DURATION" "$over_rate" 256
    over="$(summarize "$run-over")"
    log "  recovery 200/s (3s)"
    run_mix "$run-rec" 3 200
    rec="$(summarize "$run-rec")"
  fi
  local mem; mem="$(memory)"
  printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$label" "$desc" "$max" "$fixed" "$over_rate $over" "$rec" "$mem" \
    "$server_side" "$ticks $TICKS_PER_SECOND" "$round" >> "$ROWS"
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  # The same two bodies repeat, so the decision cache would answer nearly all of
  # them: the main row turns it off to measure evaluation; the next row shows it on.
  measure_server "$round" library "full built-in library, every request evaluated (--decision-cache 0; VM, the default engine)" \
    --concurrency "$CORES" --max-queue 128 --decision-cache 0
  measure_server "$round" interpreter "the same on regorus' interpreter (--engine interpreter --decision-cache 0)" \
    --concurrency "$CORES" --max-queue 128 --decision-cache 0 --engine interpreter
  measure_server "$round" cached "full built-in library, decision cache on (identical objects repeat, as GitOps re-applies send)" \
    --concurrency "$CORES" --max-queue 128
  measure_server "$round" floor "floor: empty policy directory" -p "$WORK/empty" --concurrency "$CORES" --max-queue 128
done

OHA_VERSION="$("$OHA" --version 2>/dev/null | head -n1)"
python3 - "$ROWS" "$CORES" "$DURATION" "$OHA_VERSION" "$ROUNDS" <<'PY' | emit
import statistics, sys
cores, duration, oha, rounds = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
by_label = {}
for line in open(sys.argv[1]):
    if line.strip():
        label, desc, mx, fixed, over, rec, mem, side, ticks, rnd = line.rstrip("\n").split("|")
        by_label.setdefault(label, []).append(dict(desc=desc, mx=mx.split(), fixed=fixed.split(), over=over.split(),
                                                   rec=rec.split(), mem=mem.split(), side=side.split(),
                                                   ticks=ticks.split(), round=int(rnd)))

def num(text):
    try:
        return float(text)
    except ValueError:
        return None

def median(values, fmt):
    values = [v for v in values if v is not None]
    return fmt(statistics.median(values)) if values else "n/a"

def spread(values):
    values = [v for v in values if v is not None]
    return f" ({min(values):,.0f}–{max(values):,.0f})" if len(values) > 1 else ""

many = rounds > 1
print(f"`policy serve` over TLS (rustls, HTTP/1.1) on 127.0.0.1, {cores} cores shared by the server and the load "
      f"generator ({oha}). Traffic: CREATE and UPDATE AdmissionReviews of a Deployment (about 6 and 15 KB, with "
      f"managedFields and oldObject), half each, from two oha processes; {duration} s per run. "
      f"`--concurrency {cores} --max-queue 128 --timeout 2`. "
      + (f"{rounds} rounds, the four servers in turn in each; throughput, latency and CPU are the medians over the rounds "
         f"(throughput's range in brackets), overload and recovery come from the first round." if many else "One round.")
      + "\n")
print("| server | throughput (req/s) | server CPU per request | p50 / p99 at 1,000 req/s (oha) | p50 / p99 at 1,000 req/s (server histogram) "
      "| answered at 1,000 req/s: 200 / 429 / other / errors | overload (offered) | overload: 200 / 429 / other / errors "
      "| recovery at 200 req/s: 200 / 429 / other / errors | memory peak / after |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for label, runs in by_label.items():
    first = min(runs, key=lambda r: r["round"])
    rps = [num(r["mx"][0]) for r in runs]
    cpu = []
    for r in runs:
        ticks, per_second = (num(x) for x in r["ticks"])
        total = num(r["mx"][3])
        if ticks is not None and per_second and total:
            cpu.append(ticks / per_second / total * 1e6)
    p50 = median([num(r["fixed"][1]) for r in runs], lambda v: f"{v:.2f}")
    p99 = median([num(r["fixed"][2]) for r in runs], lambda v: f"{v:.2f}")
    s50 = median([num(r["side"][0]) for r in runs], lambda v: f"{v:g}")
    s99 = median([num(r["side"][1]) for r in runs], lambda v: f"{v:g}")
    answered = [sum(int(r["fixed"][i]) for r in runs) for i in (4, 5, 6, 7)]
    ov, rc = first["over"], first["rec"]
    peak = max(int(r["mem"][0]) for r in runs)
    after = int(max(runs, key=lambda r: r["round"])["mem"][1])
    print(f"| {first['desc']} | {median(rps, lambda v: f'{v:,.0f}')}{spread(rps)} | {median(cpu, lambda v: f'{v:,.0f} µs')} "
          f"| {p50} ms / {p99} ms | ≤ {s50} ms / ≤ {s99} ms | {' / '.join(str(n) for n in answered)} "
          f"| {ov[0]} req/s | {ov[5]} / {ov[6]} / {ov[7]} / {ov[8]} | {rc[4]} / {rc[5]} / {rc[6]} / {rc[7]} "
          f"| {peak / 1024:.0f} / {after / 1024:.0f} MiB |")
print()
print("- **throughput**: 2 × 16 connections, as fast as they go (sum of both oha processes' requests/s).")
print(f"- **server CPU per request**: the server's user + system CPU time during the throughput run ÷ the requests answered: "
      f"what one request costs the server, whatever share of the {cores} cores oha takes; {cores} cores ÷ this figure is "
      "the rate the server would reach with the cores to itself.")
print("- **p50 / p99 (oha)**: oha's latency percentiles at a fixed total rate of 1,000 requests/s (the larger of the two processes): "
      "what a client sees, including the time oha itself waits for a core it shares with the server.")
print("- **p50 / p99 (server histogram)**: the same requests as the server measured them (`railyard_request_duration_seconds`, "
      "from reading the request to answering it, queueing included; TLS and the network excluded), as the upper bound of "
      "the histogram bucket the quantile falls in (buckets double from 0.25 ms).")
print("- **answered at 1,000 req/s**: summed over the rounds.")
print("- **overload**: 10 × the measured throughput offered; requests past the concurrency bound and the queue get 429 "
      "(`Retry-After: 1`) at once. **recovery**: right after, 200 requests/s must all be answered 200.")
print("- **errors**: requests oha gave up on, mostly those still in flight when a run's time is up.")
print("- **memory**: the server's peak resident set (VmHWM) over all runs, and its resident set at the end of the last.")
PY
