"""The OpenAPI 3.1 document of the JSON API (`GET /api/v1/openapi.json`).

The paths and methods are read from the app's URL map, so the document lists exactly the
routes that exist; each route's description (`OPERATIONS`, keyed by endpoint, gathered from
the area modules) gives its body, its answer and its error codes (DESIGN.md). A route without a description, or a
description without a route, fails `tests/test_openapi.py`, and schemathesis checks every
answer of the running app against this document: it cannot drift from the code unnoticed.
"""
from werkzeug.routing import IntegerConverter, Map

from . import cases, children, roster
from .shapes import ERRORS, ID, PREFIX, STRING, array, ref

# One module per API area; a route added to the API is described in its area's module.
AREAS = (cases, children, roster)
SCHEMAS = {name: schema for area in AREAS for name, schema in area.SCHEMAS.items()}
OPERATIONS = {endpoint: spec for area in AREAS for endpoint, spec in area.OPERATIONS.items()}


def _schema_of(answer: str) -> dict:
    return array(ref(answer[:-2])) if answer.endswith("[]") else ref(answer)


def _path_of(rule) -> tuple[str, list[dict]]:
    """`/api/v1/tasks/<int:task_id>` → (`/tasks/{task_id}`, its path parameters)."""
    path, params = rule.rule[len(PREFIX):], []
    for name, converter in rule._converters.items():
        schema = ID if isinstance(converter, IntegerConverter) else STRING
        params.append({"name": name, "in": "path", "required": True, "schema": schema,
                       "example": 1 if schema is ID else "entrustment_care"})
    for part in rule.rule.split("<")[1:]:
        spec = part.split(">")[0]
        path = path.replace(f"<{spec}>", "{" + spec.split(":")[-1] + "}")
    return path, params


def _operation(endpoint: str, spec: dict, params: list[dict]) -> dict:
    codes = set(spec["errors"])
    if spec["auth"]:
        codes.add(401)
    if params and any(p["schema"] is ID for p in params):
        codes.add(404)
    if spec["body"]:
        codes |= {400, 413, 422}
    responses = {str(spec["status"]): {"description": "Success"} if spec["answer"] is None else {
        "description": "Success", "content": {"application/json": {"schema": _schema_of(spec["answer"])}}}}
    for code in sorted(codes):
        schema = ref("ValidationError") if code == 422 else ref("Error")
        if code in spec["error_answers"]:
            schema = ref(spec["error_answers"][code])
        responses[str(code)] = {"description": ERRORS[code], "content": {"application/json": {"schema": schema}}}
    operation = {"operationId": endpoint.split(".", 1)[1], "summary": spec["summary"], "responses": responses,
                 "parameters": params + [{"name": name, "in": "query", "required": False, "schema": schema}
                                         for name, schema in spec["query"].items()]}
    if spec["body"]:
        operation["requestBody"] = {"required": True, "content": {spec["body_media"]: {"schema": ref(spec["body"])}}}
    operation["security"] = [{"bearer": []}] if spec["auth"] else []
    return operation


def document(url_map: Map) -> dict:
    """The OpenAPI 3.1 document of every described /api/v1 route of `url_map`."""
    paths: dict[str, dict] = {}
    for rule in sorted(url_map.iter_rules(), key=lambda r: r.rule):
        spec = OPERATIONS.get(rule.endpoint)
        if not rule.rule.startswith(PREFIX + "/") or spec is None:
            continue
        path, params = _path_of(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, spec, params)
    return {
        "openapi": "3.1.0",
        "info": {"title": "童护 Tonghu API", "version": "1",
                 "description": "Inter-agency child-welfare procedures. JSON in and out; every error is a JSON "
                                "body with a Chinese `error` message. Reads of a child's data are audited."},
        "servers": [{"url": PREFIX}],
        "paths": paths,
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "A token from POST /auth/token"}}},
    }
