"""Seeds a status page worth looking at: two groups, ten components, five published incidents
(three resolved) with several updates each, and a maintenance to come.
Usage: seed.py URL TOKEN"""
import json
import sys
import urllib.request

url, token = sys.argv[1], sys.argv[2]


def api(method, path, body=None):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=30).read() or b"{}")


api("PUT", "/api/v1/status-page/settings", {"name": "Bench status", "links": [{"label": "Home", "url": "https://bench.example/"}]})
for group in ("shop", "platform"):
    api("POST", "/api/v1/status-groups", {"id": group, "name": group.title()})
for index in range(10):
    service = f"svc{index}"
    api("POST", "/api/v1/services", {"id": service, "name": f"Service {index}"})
    api("POST", "/api/v1/status-components", {"id": f"c{index}", "name": f"Component {index}", "services": [service],
                                              "groupID": "shop" if index < 5 else "platform", "position": index,
                                              "description": f"The part of the product behind service {index}"})
for index in range(5):
    incident = api("POST", "/api/v1/incidents", {"title": f"Incident {index}", "severity": ["P1", "P2", "P3"][index % 3],
                                                "services": [f"svc{index}", f"svc{index + 5}"]})
    reference = incident["reference"]
    for phase in ("investigating", "identified", "monitoring"):
        api("POST", f"/api/v1/incidents/{reference}/updates", {"audience": "external", "phase": phase,
                                                                "text": f"We are on it ({phase}); more soon."})
    if index < 3:
        api("POST", f"/api/v1/incidents/{reference}/resolve", {"resolution": "Fixed", "force": "Seeded for the benchmark"})
api("POST", "/api/v1/maintenances", {"title": "Database upgrade", "message": "Checkout may be slow.", "components": ["c0", "c1"],
                                     "startsAt": "2099-01-01T22:00:00Z", "endsAt": "2099-01-01T23:00:00Z"})
