"""Checks the API responses the router tests recorded against the schemas openapi.yaml documents.

Usage: check-responses.py RECORDED.jsonl openapi.yaml
Each line of RECORDED.jsonl is one response: method, path (with its query), status, content type
and body. Every response must belong to a documented operation and status; where that status
documents a JSON schema, the body must satisfy it. Prints each mismatch and exits 1 when any.
"""
import json
import re
import sys

import yaml
from jsonschema import Draft202012Validator

recorded, spec_path = sys.argv[1], sys.argv[2]
spec = yaml.safe_load(open(spec_path))
templates = []
for template, item in spec["paths"].items():
    pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
    templates.append((re.compile(pattern), template, item))
# Literal paths win over templated ones (/integrations/{id} against /integrations/x/test).
templates.sort(key=lambda t: t[1].count("{"))


def resolve(node):
    """Follows a $ref to components."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        node = spec
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
    return node


problems = []
checked = 0
seen_operations = set()
for line in open(recorded):
    response = json.loads(line)
    method, path, status = response["method"].lower(), response["path"].split("?")[0], str(response["status"])
    match = next(((template, item) for pattern, template, item in templates if pattern.match(path) and method in item), None)
    where = f"{method.upper()} {path} -> {status}"
    if match is None:
        # Routes that do not exist answer 404 problems; that is documented behaviour, not a gap.
        if status != "404":
            problems.append(f"{where}: no documented operation")
        continue
    template, item = match
    seen_operations.add((method, template))
    responses = item[method].get("responses", {})
    documented = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
    if documented is None:
        problems.append(f"{where}: status {status} is not documented for {method.upper()} {template}")
        continue
    documented = resolve(documented)
    content = documented.get("content", {})
    media = response.get("contentType", "").split(";")[0].strip()
    schema = (content.get(media) or {}).get("schema")
    if schema is None or not response.get("body"):
        continue
    try:
        body = json.loads(response["body"])
    except ValueError:
        continue
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    checked += 1
    for error in errors[:3]:
        at = "/".join(str(p) for p in error.path) or "(body)"
        problems.append(f"{where}: {at}: {error.message[:200]}")

for problem in problems:
    print(problem)
print(f"{checked} response bodies checked against their schemas, {len(seen_operations)} documented operations seen, {len(problems)} mismatches")
sys.exit(1 if problems else 0)
