"""Checks the public status page's answers the router tests recorded: every /api/v2 JSON answer
against Tests/Schemas/statuspage-v2.schema.json (Statuspage's documented fields and enums, written
independently of openapi.yaml), and every /history.atom and /history.rss with feedparser, as a
feed reader would read them. Fails when any answer is wrong, or when none was recorded.

Usage: check-statuspage.py RECORDED.jsonl
"""
import json
import sys

import feedparser
from jsonschema import Draft202012Validator

schema = json.load(open("Tests/Schemas/statuspage-v2.schema.json"))
Draft202012Validator.check_schema(schema)
documents = {
    "summary.json": "summary.json", "status.json": "status.json", "components.json": "components.json",
    "incidents.json": "incidents.json", "incidents/unresolved.json": "incidents.json",
    "scheduled-maintenances.json": "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json": "scheduled-maintenances.json",
    "scheduled-maintenances/active.json": "scheduled-maintenances.json",
}
validators = {name: Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]}) for name in set(documents.values())}
problems, json_checked, feeds_checked, entries_checked = [], 0, 0, 0
with open(sys.argv[1]) as recorded:
    for line in recorded:
        response = json.loads(line)
        path = response["path"].split("?")[0]
        if response["method"] != "GET" or response["status"] != 200:
            continue
        if path.startswith("/api/v2/"):
            name = documents.get(path[len("/api/v2/"):])
            if name is None:
                problems.append(f"{path}: not a Statuspage document")
                continue
            for error in validators[name].iter_errors(json.loads(response["body"])):
                problems.append(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
            json_checked += 1
        elif path in ("/history.atom", "/history.rss"):
            feed = feedparser.parse(response["body"])
            if feed.bozo:
                problems.append(f"{path}: not a well-formed feed: {feed.bozo_exception}")
            if feed.version not in ("atom10", "rss20"):
                problems.append(f"{path}: read as {feed.version!r}, not Atom 1.0 or RSS 2.0")
            if not feed.feed.get("title") or not feed.feed.get("link"):
                problems.append(f"{path}: the feed has no title or link")
            for entry in feed.entries:
                for field in ("title", "link", "id", "published_parsed", "summary"):
                    if not entry.get(field):
                        problems.append(f"{path}: an entry has no {field}")
                entries_checked += 1
            feeds_checked += 1
if json_checked == 0 or feeds_checked == 0 or entries_checked == 0:
    problems.append(f"too little was recorded to check: {json_checked} JSON answers, {feeds_checked} feeds, {entries_checked} entries")
for problem in problems[:50]:
    print("statuspage:", problem)
print(f"Statuspage checks: {json_checked} JSON answers against the v2 schema, {feeds_checked} feeds with {entries_checked} entries, {len(problems)} problems")
sys.exit(1 if problems else 0)
