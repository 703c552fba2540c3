"""The published API contract (issue 19, point 6): `GET /api/v1/openapi.json`.

The document lists exactly the /api/v1 routes of the app; the answers of real calls match
it; and schemathesis, authenticated as a demo official, drives every operation with
generated (valid and invalid) input and fails on any 5xx or any answer off the document.
"""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from webapp import openapi

from .helpers import start_entrustment_case

TOWNSHIP = "township.430104001000"
SUPERVISOR = "supervisor.township.430104001000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保", "living_conditions": "祖孙同住"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")  # public: no token needed
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_lists_exactly_the_api_routes(app, document):
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "/api/v1"}]
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len("/api/v1"):])
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert set(openapi.OPERATIONS) == endpoints  # no description of a route that is gone


def test_each_area_describes_its_own_routes_and_schemas_once():
    """An area module redescribing another's endpoint or schema would silently replace it."""
    for part in ("SCHEMAS", "OPERATIONS"):
        names = [name for area in openapi.AREAS for name in getattr(area, part)]
        assert len(names) == len(set(names)), part
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', repr(openapi.SCHEMAS).replace("'", '"')))
    answers = {spec[key][:-2] if spec[key].endswith("[]") else spec[key]
               for spec in openapi.OPERATIONS.values() for key in ("answer", "body") if spec[key]}
    assert refs | answers <= set(openapi.SCHEMAS)  # no area points at a schema no area holds

def test_every_operation_documents_its_errors_and_schemas_are_valid(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            if operation["security"]:
                assert "401" in codes, where
            if "{" in path and path != "/processes/{process_id}":
                assert "404" in codes, where
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= codes, where
            for code, response in operation["responses"].items():
                assert response["description"], where
                assert code == "204" or "application/json" in response["content"], where  # 204: no body
    assert document["paths"]["/processes/{process_id}/instances"]["post"]["responses"].keys() >= {"201", "403", "422"}
    assert document["paths"]["/tasks/{task_id}/complete"]["post"]["responses"].keys() >= {"200", "403", "409", "422"}


def check(document, response, path: str, method: str = "get"):
    """The answer's status is documented for the operation and its body matches the schema."""
    responses = document["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (path, response.status_code, response.get_json())
    schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": document["components"]}).validate(response.get_json())
    return response.get_json()


def test_real_answers_match_the_document(api, client, document, start_data):
    township = api(TOWNSHIP)
    check(document, client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": "tonghu-demo"}),
          "/auth/token", "post")
    check(document, client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": "x"}),
          "/auth/token", "post")
    check(document, township.get("/processes"), "/processes")
    check(document, township.get("/processes/entrustment_care"), "/processes/{process_id}")
    check(document, township.get("/processes/nothing"), "/processes/{process_id}")
    case = start_entrustment_case(api, start_data)
    check(document, api("village.430104001001").post("/processes/entrustment_care/instances",
                                                     {"region": "430104001001", "data": start_data}),
          "/processes/{process_id}/instances", "post")
    check(document, township.post("/processes/entrustment_care/instances", {"region": "x", "data": {}}),
          "/processes/{process_id}/instances", "post")
    tasks = check(document, township.get("/tasks"), "/tasks")
    assert tasks
    task = next(t for t in tasks if t["instance_id"] == case["id"])
    check(document, township.get(f"/tasks/{task['id']}"), "/tasks/{task_id}")
    check(document, api("police.430104000000").get(f"/tasks/{task['id']}"), "/tasks/{task_id}")
    check(document, township.post(f"/tasks/{task['id']}/claim"), "/tasks/{task_id}/claim", "post")
    check(document, township.post(f"/tasks/{task['id']}/release"), "/tasks/{task_id}/release", "post")
    supervisor = api(SUPERVISOR)
    check(document, supervisor.post(f"/tasks/{task['id']}/reassign", {"user_id": "x"}),
          "/tasks/{task_id}/reassign", "post")
    check(document, township.post(f"/tasks/{task['id']}/complete", {"data": {}}), "/tasks/{task_id}/complete", "post")
    done = check(document, township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}),
                 "/tasks/{task_id}/complete", "post")
    assert done["history"]
    check(document, township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}),
          "/tasks/{task_id}/complete", "post")  # 409: already done
    check(document, township.get(f"/instances/{case['id']}"), "/instances/{instance_id}")
    check(document, township.get(f"/instances/{case['id']}/monitoring"), "/instances/{instance_id}/monitoring")
    check(document, township.get("/instances/99999"), "/instances/{instance_id}")
    check(document, township.get("/overdue"), "/overdue")
    check(document, township.get("/notifications"), "/notifications")
    check(document, township.post("/notifications/99999/read"), "/notifications/{notice_id}/read", "post")
    check(document, client.get("/api/v1/tasks"), "/tasks")  # 401 without a token


# -- schemathesis against the running app ----------------------------------------------------------
@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(app, api, start_data):
    import schemathesis
    from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                     status_code_conformance)
    from schemathesis.generation import GenerationMode

    start_entrustment_case(api, start_data)  # so that small ids name real cases and tasks
    headers = api(TOWNSHIP).headers
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {f"{m.upper()} {p}" for p, item in schema.raw_schema["paths"].items() for m in item}
    assert {o.label for o in operations} == documented - {"GET /openapi.json"}  # schemathesis skips its source
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=8, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)
            run()
