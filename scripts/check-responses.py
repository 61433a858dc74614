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

# The document itself: every operation named, every success answer described by a schema
# (deletions answer nothing, the acknowledge page is HTML), every component schema and each of
# its properties described, and the key operations with an example.
for template, item in spec["paths"].items():
    for method, operation in item.items():
        if method not in ("get", "post", "put", "patch", "delete"):
            continue
        name = f"{method.upper()} {template}"
        if "operationId" not in operation:
            problems.append(f"{name}: no operationId")
        for status, answer in operation.get("responses", {}).items():
            answer = resolve(answer)
            if status.startswith("2") and status != "204" and "content" not in answer:
                problems.append(f"{name}: success answer {status} has no schema")


def undescribed(name, schema, path=""):
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    for key, prop in (schema.get("properties") or {}).items():
        if isinstance(prop, dict) and "$ref" not in prop and "description" not in prop:
            problems.append(f"schema {name}: property {path}{key} has no description")
        undescribed(name, prop, f"{path}{key}.")
    if "items" in schema:
        undescribed(name, schema["items"], f"{path}[].")


for name, schema in spec["components"]["schemas"].items():
    if "description" not in schema:
        problems.append(f"schema {name}: no description")
    undescribed(name, schema)
for template, method in [("/api/v1/incidents", "post"), ("/api/v1/incidents/{id}/acknowledge", "post")]:
    content = resolve(spec["paths"][template][method]["requestBody"])["content"]["application/json"]
    if "example" not in content:
        problems.append(f"{method.upper()} {template}: no example")
if "example" not in spec["components"]["requestBodies"]["Generic"]["content"]["application/json"]:
    problems.append("generic alert body: no example")
seen_operations = set()
# The web pages are HTML for people, not the API: the OpenAPI document does not describe them.
pages = re.compile(r"^/($|signin$|signout$|live$|incidents($|/)|assets/|admin($|/)|oncall$|schedules($|/)|policies($|/)|teams($|/)|account($|/)|alerts$|silences($|/)|services($|/)|integrations/|people($|/)|stakeholders($|/)|status($|/)|statuspage($|/)|insights$|actions($|/)|changes$|runbooks($|/)|history\.(atom|rss)$)")
for line in open(recorded):
    response = json.loads(line)
    method, path, status = response["method"].lower(), response["path"].split("?")[0], str(response["status"])
    if pages.match(path):
        continue
    # HEAD answers wherever GET does, with the same status and no body.
    method = "get" if method == "head" else method
    match = next(((template, item) for pattern, template, item in templates if pattern.match(path) and method in item), None)
    where = f"{method.upper()} {path} -> {status}"
    if match is None:
        # Routes that do not exist answer 404, a known path asked with another method 405 with
        # Allow: documented behaviour, not a gap.
        if status not in ("404", "405"):
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
