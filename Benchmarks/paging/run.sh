#!/usr/bin/env bash
# Pages in flight: opens INCIDENTS incidents at once (default 10,000) through alert ingestion, each
# paging one person by a signed webhook, and reports the lag between each page's due time and its
# arrival at a loopback receiver (p50/p99/max) and the delivery rate, for two moments: level 1,
# paged while the alerts are still being ingested, and level 2, due a minute later for all of
# them at once with nothing else running. SQLite, release build.
#   Benchmarks/paging/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Benchmarks/paging
INCIDENTS=${INCIDENTS:-10000}
# BENCH_BINARY runs a muster built before (to compare two builds without rebuilding either).
if [ -n "${BENCH_BINARY:-}" ]; then
  muster=$BENCH_BINARY
else
  swift build -c release --product muster >/dev/null 2>&1
  muster=$(swift build -c release --show-bin-path)/muster
fi
work=$(mktemp -d /tmp/muster-paging.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

sink_port=$(free_port)
python3 "$here/sink.py" "$sink_port" "$work/arrivals.log" & pids+=($!)
port=$(free_port)
db="$work/paging.db"
token=$("$muster" token create --name bench --role admin --json --database "$db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
MUSTER_INGEST_RATE=0 MUSTER_PAGE_RATE=0 MUSTER_LOG_LEVEL=warning MUSTER_SIGNING_KEY=benchmark-signing-key-0123456789abcdef \
  "$muster" serve --port "$port" --database "$db" >"$work/serve.out" 2>"$work/serve.err" & pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
export MUSTER_URL=http://127.0.0.1:$port MUSTER_TOKEN=$token
"$muster" user create ann --name Ann --email ann@example.com >/dev/null
"$muster" user contact ann --kind webhook --address "http://127.0.0.1:$sink_port/page" >/dev/null
"$muster" policy create bench --name Bench --level user:ann@1m --level user:ann@10m >/dev/null
"$muster" service create bench >/dev/null
"$muster" policy assign bench bench >/dev/null
"$muster" integration policy bench --group-by instance >/dev/null
key=$("$muster" integration create bench --kind generic --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

echo "opening $INCIDENTS incidents…"
start=$(date +%s.%N)
python3 - "$port" "$key" "$INCIDENTS" <<'PY'
import json, sys, urllib.request
port, key, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
for first in range(0, total, 1000):
    alerts = [{"summary": f"bench {i}", "severity": "critical", "dedupKey": f"k{i}", "labels": {"instance": f"i{i}"}}
              for i in range(first, min(first + 1000, total))]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/ingest/generic/{key}", data=json.dumps({"alerts": alerts}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
PY
echo "opened in $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s; waiting for level 1 and, a minute later, level 2…"
for _ in $(seq 600); do
  [ "$(wc -l <"$work/arrivals.log" 2>/dev/null || echo 0)" -ge $((2 * INCIDENTS)) ] && break
  sleep 0.5
done
sleep 2
python3 "$here/report.py" "$db" "$work/arrivals.log"
