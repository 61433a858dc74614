#!/usr/bin/env bash
# Ingestion benchmark: Muster (release build) on SQLite and PostgreSQL against Prometheus
# Alertmanager 0.25 under the same load, over loopback, with wrk.
#   Benchmarks/ingest/run.sh            # 10 s per run
#   DURATION=30 CONNS=64 Benchmarks/ingest/run.sh
#   PG_TUNING= Benchmarks/ingest/run.sh   # PostgreSQL on its factory settings
#   STORES=sqlite REFERENCE=0 BENCH_BINARY=/tmp/muster Benchmarks/ingest/run.sh   # one store, no Alertmanager
# Prints, per scenario: requests/s, alerts/s, p50/p99 latency at peak and at half of peak, and the
# server's peak resident memory; then each of issue 3's aims, met or not, from those figures.
# Nothing here is asserted; the figures go into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Benchmarks/ingest
DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}

need() {
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "/usr/bin/$2" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"
  fi
}
need wrk wrk
need prometheus-alertmanager prometheus-alertmanager

# BENCH_BINARY runs a muster built before (to compare two builds without rebuilding either).
if [ -n "${BENCH_BINARY:-}" ]; then
  muster=$BENCH_BINARY
else
  swift build -c release --product muster >/dev/null
  muster=$(swift build -c release --show-bin-path)/muster
fi
work=$(mktemp -d /tmp/muster-bench.XXXXXX)
pids=()
pg_dir=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$pg_dir" ] && scripts/postgres-cluster stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# wrk_run URL SCRIPT ALERTS_PER_REQUEST LABEL [RATE]
wrk_run() {
  local url=$1 script=$2 per=$3 label=$4 rate=${5:-0}
  local line
  line=$(RATE=$rate CONNS=$CONNS AM_API=${AM_API:-0} wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s "$here/$script" "$url" | grep '^RESULT')
  local rps p50 p99 errors
  rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
  printf '%-46s %9s req/s %9s alerts/s  p50 %8s ms  p99 %8s ms  errors %s\n' "$label" "$rps" "$((rps * per))" "$p50" "$p99" "$errors"
  LAST_RPS=$rps
  LAST_P99=$p99
}

# Figures the aims are judged on, by "target scenario": alerts/s at peak, p99 at half, peak memory.
declare -A RATE P99_HALF MEMORY

# scenario URL SCRIPT PER NAME TARGET: peak, then paced at half of peak
scenario() {
  wrk_run "$1" "$2" "$3" "$4 (peak)"
  RATE["$5 $2"]=$((LAST_RPS * $3))
  local half=$((LAST_RPS / 2))
  P99_HALF["$5 $2"]="?"
  if [ "$half" -gt 0 ]; then
    wrk_run "$1" "$2" "$3" "$4 (at half: $half req/s)" "$half"
    P99_HALF["$5 $2"]=$LAST_P99
  fi
}

bench_muster() {
  local name=$1 database=$2 port
  port=$(free_port)
  local token
  token=$("$muster" token create --name bench --role admin --json --database "$database" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  MUSTER_INGEST_RATE=0 MUSTER_LOG_LEVEL=warning "$muster" serve --port "$port" --database "$database" >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  export MUSTER_URL=http://127.0.0.1:$port MUSTER_TOKEN=$token
  "$muster" service create bench >/dev/null
  local key
  key=$("$muster" integration create bench --kind alertmanager --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
  local url=http://127.0.0.1:$port/ingest/alertmanager/$key
  echo "== Muster on $name"
  scenario "$url" alertmanager-one.lua 1 "distinct alerts, one per request" "$name"
  scenario "$url" alertmanager-storm.lua 1 "storm of duplicates, one per request" "$name"
  scenario "$url" alertmanager-batch.lua 100 "batches of 100 distinct alerts" "$name"
  MEMORY[$name]=$(( $(peak_kb "$pid") / 1024 ))
  echo "peak memory: ${MEMORY[$name]} MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

bench_alertmanager() {
  local port
  port=$(free_port)
  cat >"$work/am.yml" <<YAML
route:
  receiver: blackhole
receivers:
  - name: blackhole
YAML
  prometheus-alertmanager --config.file="$work/am.yml" --storage.path="$work/am-data" \
    --web.listen-address=127.0.0.1:"$port" --cluster.listen-address= --log.level=warn >"$work/am.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  sleep 2
  echo "== Prometheus Alertmanager $(prometheus-alertmanager --version 2>&1 | head -1 | awk '{print $3}') (in memory, reference)"
  AM_API=1 scenario "http://127.0.0.1:$port/api/v2/alerts" alertmanager-one.lua 1 "distinct alerts, one per request" alertmanager
  AM_API=1 scenario "http://127.0.0.1:$port/api/v2/alerts" alertmanager-batch.lua 100 "batches of 100 distinct alerts" alertmanager
  MEMORY[alertmanager]=$(( $(peak_kb "$pid") / 1024 ))
  echo "peak memory: ${MEMORY[alertmanager]} MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# aims NAME: issue 3's aims for one store. Rates are judged against the figures the issue gives for
# Alertmanager on these machines (8,300 single alerts/s, 22,600/s in batches of 100); this run's
# Alertmanager is shown beside them, and its memory is the reference for memory.
aims() {
  local name=$1
  python3 - "$name" "${RATE[$name alertmanager-one.lua]:-0}" "${RATE[$name alertmanager-batch.lua]:-0}" \
    "${RATE[alertmanager alertmanager-one.lua]:-0}" "${RATE[alertmanager alertmanager-batch.lua]:-0}" \
    "${P99_HALF[$name alertmanager-one.lua]:-?}" "${P99_HALF[$name alertmanager-storm.lua]:-?}" \
    "${P99_HALF[$name alertmanager-batch.lua]:-?}" "${MEMORY[$name]:-0}" "${MEMORY[alertmanager]:-0}" <<'PY'
import sys
name, single, batch, am_single, am_batch, p_single, p_storm, p_batch, memory, am_memory = sys.argv[1:]
single, batch, am_single, am_batch, memory, am_memory = map(int, (single, batch, am_single, am_batch, memory, am_memory))
def verdict(ok): return "met" if ok else "NOT met"
def rate(label, value, issue, here):
    ratio = value / issue
    versus = f"{value / here:.2f}x this run's Alertmanager" if here else "no Alertmanager figure"
    print(f"  {label}: {value:,}/s = {ratio:.2f}x the issue's {issue:,}/s ({versus}): {verdict(ratio >= 1.5)}")
print(f"== Issue 3's aims, Muster on {name}")
rate("1.5x Alertmanager, distinct alerts one per request", single, 8_300, am_single)
rate("1.5x Alertmanager, batches of 100", batch, 22_600, am_batch)
tails = [p_single, p_storm, p_batch]
ok = all(t != "?" and float(t) < 20 for t in tails)
print(f"  p99 under 20 ms at half of peak (single, duplicates, batches): {', '.join(tails)} ms: {verdict(ok)}")
share = f"{100 * memory / am_memory:.1f} %" if am_memory else "?"
print(f"  a quarter of Alertmanager's memory: {memory} of {am_memory} MiB ({share}): {verdict(am_memory > 0 and 4 * memory <= am_memory)}")
PY
}

echo "wrk -t$THREADS -c$CONNS -d${DURATION}s on $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
STORES=${STORES:-sqlite postgres}
[ "${REFERENCE:-1}" = 1 ] && bench_alertmanager
[[ " $STORES " == *" sqlite "* ]] && bench_muster sqlite "$work/bench.db"
# PostgreSQL keeps its durable defaults (fsync, synchronous_commit, full_page_writes) with the
# three settings README.md recommends for ingestion (PG_TUNING= runs on the factory settings):
# shared_buffers, and a reserve of write-ahead log files (min_wal_size) with room before a
# checkpoint (max_wal_size), so that an alert storm neither creates and zero-fills a 16 MiB log
# file inside a commit nor runs a checkpoint every few seconds.
PG_TUNING=${PG_TUNING--c shared_buffers=1GB -c min_wal_size=2GB -c max_wal_size=4GB}
if [[ " $STORES " == *" postgres "* ]]; then
  read -r pg_url pg_dir < <(DURABLE=1 PG_SETTINGS="$PG_TUNING" scripts/postgres-cluster start)
  echo "PostgreSQL settings: ${PG_TUNING:-factory defaults}"
  # The reserve exists only once the server has used it: a server that has run for a while reuses
  # its log files after each checkpoint, while a new cluster creates each one inside whichever
  # commit needs it, and that commit waits 30-60 ms. Write ~2.1 GB of log (more than min_wal_size)
  # and checkpoint first, so the runs meet the server in its steady state.
  psql -q "$pg_url" -c "CREATE TABLE warm AS SELECT repeat(md5(g::text), 60) AS pad FROM generate_series(1, 1100000) AS g" \
    -c "DROP TABLE warm" -c "CHECKPOINT"
  bench_muster postgres "$pg_url"
fi
for store in $STORES; do aims "$store"; done
