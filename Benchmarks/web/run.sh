#!/usr/bin/env bash
# Web pages benchmark: the server time of the incident list with 10,000 incidents, and of an
# incident page with 2,000 timeline entries and 5,000 alerts, on SQLite, under wrk over loopback.
#   Benchmarks/web/run.sh
#   DURATION=30 CONNS=4 INCIDENTS=10000 ENTRIES=2000 ALERTS=5000 Benchmarks/web/run.sh
# Two connections by default: one per core of the reference machine, so the figures are the
# server's time rather than time queued behind other requests.
# Prints requests/s and p50/p99 per page; issue 29's aim is p99 under 30 ms. Nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-2}
INCIDENTS=${INCIDENTS:-10000}
ENTRIES=${ENTRIES:-2000}
ALERTS=${ALERTS:-5000}

command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
if [ -n "${BENCH_BINARY:-}" ]; then
  muster=$BENCH_BINARY   # a build already made, such as a debug one to try the script
else
  swift build -c release --product muster >/dev/null
  muster=$(swift build -c release --show-bin-path)/muster
fi
work=$(mktemp -d /tmp/muster-web-bench.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

database=$work/muster.db
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url=http://127.0.0.1:$port
token=$("$muster" token create --name bench --role admin --json --database "$database" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
MUSTER_INGEST_RATE=0 MUSTER_LOG_LEVEL=warning "$muster" serve --port "$port" --database "$database" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done

MUSTER_URL=$url MUSTER_TOKEN=$token "$muster" user create bench --name "Bench Person" --email bench@example.com >/dev/null
echo "a benchmark password" | "$muster" user password bench --database "$database" >/dev/null
echo "Seeding $INCIDENTS incidents, one with $ENTRIES timeline entries and $ALERTS alerts"
started=$(date +%s)
big=$(python3 Benchmarks/web/seed.py "$url" "$token" "$INCIDENTS" "$ENTRIES" "$ALERTS")
echo "Seeded in $(( $(date +%s) - started )) s; the big incident is $big"

# Sign in as a browser does: the form's CSRF cookie, then the session cookie.
jar=$work/cookies
csrf=$(curl -s -c "$jar" "$url/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "next=/incidents" \
  --data-urlencode "username=bench" --data-urlencode "password=a benchmark password" "$url/signin"
session=$(awk '$6 == "muster_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "sign-in failed"; exit 1; }

run() {
  local label=$1 path=$2 line
  line=$(COOKIE="muster_session=$session" wrk -t2 -c"$CONNS" -d"${DURATION}s" -s Benchmarks/web/page.lua "$url$path" | grep '^RESULT')
  printf '%-52s %6s req/s  p50 %7s ms  p99 %7s ms  errors %s\n' "$label" \
    "$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$line")" "$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")" \
    "$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")" "$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")"
}
run "incident list, $INCIDENTS incidents (first page)" "/incidents"
run "incident list, filtered to P1, page 3" "/incidents?severity=P1&page=3"
run "incident page, $ENTRIES entries and $ALERTS alerts" "/incidents/$big"
run "the same, every entry shown" "/incidents/$big?entries=all"
echo "peak memory $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB"
