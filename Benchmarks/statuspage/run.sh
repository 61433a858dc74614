#!/usr/bin/env bash
# Status page benchmark: wrk against Muster's public page (/status) and summary.json, and against
# nginx (Debian's package) serving the same bytes as static files (`muster statuspage export`), in
# the same run, printing the ratio (issue 31 aims at 50 % of nginx's requests/s or more); then the
# page's p99 while an alert storm is being ingested (aim: under 20 ms). SQLite, release build.
#   Benchmarks/statuspage/run.sh
#   DURATION=10 CONNS=16 STORM_ALERTS=200000 Benchmarks/statuspage/run.sh
# Nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Benchmarks/statuspage
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
STORM_ALERTS=${STORM_ALERTS:-200000}

for tool in wrk nginx; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ -n "${BENCH_BINARY:-}" ]; then
  muster=$BENCH_BINARY
else
  swift build -c release --product muster >/dev/null
  muster=$(swift build -c release --show-bin-path)/muster
fi
work=$(mktemp -d /tmp/muster-statuspage-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

database=$work/muster.db
port=$(free_port)
url=http://127.0.0.1:$port
token=$("$muster" token create --name bench --role admin --json --database "$database" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
MUSTER_INGEST_RATE=0 MUSTER_LOG_LEVEL=warning "$muster" serve --port "$port" --database "$database" --no-paging >"$work/out" 2>"$work/err" &
pids+=($!)
muster_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
python3 "$here/seed.py" "$url" "$token"
sleep 3   # the status page engine records the components' status
MUSTER_URL=$url MUSTER_TOKEN=$token "$muster" statuspage export "$work/site" >/dev/null

nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site;
    location / { try_files \$uri \$uri/index.html =404; etag on; add_header Cache-Control "public, max-age=15"; }
  }
}
CONF
"$nginx" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 1

rps() { sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$1"; }
p99() { sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$1"; }
measure() { CONNS=$CONNS wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$here/get.lua" "$1" | grep '^RESULT'; }
printf '%-34s %10s %10s %8s %10s\n' "document ($CONNS connections)" "muster/s" "nginx/s" "ratio" "muster p99"
for path in /status /api/v2/summary.json; do
  ours=$(measure "$url$path")
  theirs=$(measure "http://127.0.0.1:$nginx_port$path")
  printf '%-34s %10s %10s %7s%% %8s ms\n' "$path" "$(rps "$ours")" "$(rps "$theirs")" \
    "$(python3 -c "print(round(100 * $(rps "$ours") / max(1, $(rps "$theirs"))))")" "$(p99 "$ours")"
done

# The page while alerts pour in: one component's service gets a storm of distinct alerts.
key=$(MUSTER_URL=$url MUSTER_TOKEN=$token "$muster" integration create svc9 --kind generic --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
python3 - "$url" "$key" "$STORM_ALERTS" >"$work/storm.out" 2>&1 <<'PY' &
import json, sys, urllib.request
url, key, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
for first in range(0, total, 500):
    alerts = [{"summary": f"storm {i}", "severity": "warning", "dedupKey": f"s{i}", "labels": {"instance": f"i{i}"}}
              for i in range(first, min(first + 500, total))]
    request = urllib.request.Request(f"{url}/ingest/generic/{key}", data=json.dumps({"alerts": alerts}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=60).read()
PY
storm=$!
pids+=($storm)
sleep 1
during=$(CONNS=4 RATE=400 wrk -t2 -c4 -d"${DURATION}s" -s "$here/get.lua" "$url/status" | grep '^RESULT')
alerts=$(sqlite3 "$database" 'SELECT COUNT(*) FROM alerts' 2>/dev/null || echo "?")
printf '%-34s p50 %s ms, p99 %s ms (%s alerts in by then)\n' "/status at 400/s during a storm" \
  "$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$during")" "$(p99 "$during")" "$alerts"
echo "peak memory $(awk '/VmHWM/ {print $2}' /proc/$muster_pid/status) kB"
