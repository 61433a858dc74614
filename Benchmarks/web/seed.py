"""Fills a running Muster for the web benchmark: INCIDENTS incidents (a tenth of them open), and
one incident with ENTRIES timeline entries and ALERTS alerts joined to it. Prints the big
incident's reference. Usage: seed.py URL TOKEN INCIDENTS ENTRIES ALERTS"""
import http.client
import json
import sys
import urllib.parse

url, token, incidents, entries, alerts = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
parts = urllib.parse.urlsplit(url)
connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def call(method, path, body, auth=True):
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    data = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path} answered {response.status}: {data[:300]!r}")
    return json.loads(data) if data else {}


call("POST", "/api/v1/services", {"id": "web", "name": "Web"})
severities = ["P1", "P2", "P3", "P4"]
for index in range(incidents):
    declared = call("POST", "/api/v1/incidents", {
        "title": f"Incident {index}: checkout latency over target", "severity": severities[index % 4], "services": ["web"],
        "commander": None})
    if index % 10:
        call("POST", f"/api/v1/incidents/{declared['reference']}/resolve", {"resolution": "Rolled back", "force": "Seeded for the benchmark"})

key = call("POST", "/api/v1/services/web/integrations", {"kind": "alertmanager"})["key"]
sent = 0
while sent < alerts:
    batch = [{"status": "firing", "labels": {"alertname": f"Check{(sent + i) % 20}", "instance": f"host-{sent + i}"},
              "annotations": {"summary": f"host-{sent + i} is slow", "runbook_url": "https://runbooks.example/latency"},
              "startsAt": "2026-12-01T00:00:00Z"} for i in range(min(100, alerts - sent))]
    call("POST", f"/ingest/alertmanager/{key}", {
        "version": "4", "status": "firing", "receiver": "muster", "groupKey": "{}:{service=\"web\"}",
        "groupLabels": {"service": "web"}, "alerts": batch}, auth=False)
    sent += len(batch)
big = call("GET", "/api/v1/incidents?sort=-detectedAt&limit=1", None)["items"][0]["reference"]
for index in range(entries):
    kind = ["note", "finding", "hypothesis", "action", "decision"][index % 5]
    call("POST", f"/api/v1/incidents/{big}/timeline", {"kind": kind, "text": f"Entry {index}: looked at the dashboards again"})
print(big)
