"""The OpenAPI 3.1 document of the JSON API (`GET /api/v1/openapi.json`).

The paths and methods are read from the app's URL map, so the document lists exactly the
routes that exist; each route's description (`OPERATIONS`, keyed by endpoint) gives its
body, its answer and its error codes (DESIGN.md). A route without a description, or a
description without a route, fails `tests/test_openapi.py`, and schemathesis checks every
answer of the running app against this document: it cannot drift from the code unnoticed.
"""
from werkzeug.routing import IntegerConverter, Map

from .services.registry.codes import CATEGORIES, RELATIONS, RISKS
from .views.limits import ID_MAX
PREFIX = "/api/v1"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(required: dict, optional: dict | None = None) -> dict:
    """An object with these properties (the `required` ones always present); more may come."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
MOMENT = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 0, "maximum": ID_MAX}
JSON_OBJECT = {"type": "object"}

SCHEMAS = {
    "Error": obj({"error": {"type": "string", "description": "A human message in Chinese"}}),
    "ValidationError": obj({"error": STRING, "errors": {
        "type": "object", "additionalProperties": STRING,
        "description": "Field path (dotted) → Chinese message; `_` for the whole body"}}),
    "DesignError": obj({"error": STRING, "code": {"type": "string", "enum": ["engine_error"]},
                        "element": {**nullable(STRING), "description": "BPMN id of the element that failed"},
                        "process_id": STRING, "version": INTEGER}),
    "CompletionRefused": {"anyOf": [ref("ValidationError"), ref("DesignError")], "description": (
        "`errors`: the form's fields; `code: engine_error`: the procedure's design failed at run time "
        "(nothing saved; its designers or an administrator must fix it)")},
    "TokenRequest": obj({"username": STRING, "password": STRING}),
    "Token": obj({"token": STRING}),
    "Process": obj({"id": STRING, "name": STRING, "version": INTEGER, "retired": {
        "type": "boolean", "description": "Retired by a designer: no new case starts on it (422); running cases go on"}}),
    "ProcessDetail": obj({"id": STRING, "name": STRING, "version": INTEGER, "deployed_at": MOMENT,
                          "form": {**JSON_OBJECT, "description": "JSON Schema (2020-12) of the start data"}}),
    "StartRequest": obj({"region": {"type": "string", "description": "12-digit region code of the child's residence"},
                         "data": {**JSON_OBJECT, "description": "Data valid against the process's start form"}}),
    "Task": obj({
        "id": INTEGER, "name": {"type": "string", "description": "BPMN element id"},
        "title": STRING, "process_id": STRING, "instance_id": INTEGER, "department": STRING,
        "region": {"type": "string", "description": "Region code of the office the task is routed to"},
        "due": nullable(MOMENT), "claimed_by": nullable(STRING),
        "state": {"type": "string", "enum": ["open", "completed", "cancelled"]},
        "overdue": BOOLEAN, "escalated_at": nullable(MOMENT),
        "office": {"type": "string", "description": "The unit or office the task is routed to"},
    }),
    "TaskDetail": {"allOf": [ref("Task"), obj({
        "form": {**JSON_OBJECT, "description": "JSON Schema (2020-12) of the task's form"},
        "data": {**JSON_OBJECT, "description": "The data the workflow holds for the task"},
        "why": {"type": "string", "description": "Why the task is routed to this office"},
        "case_data": {**JSON_OBJECT, "description": "What the case was opened with (the start form's data); "
                      "the confidential reporter only for police and civil affairs handling the case (audited)"},
        "opened_at": MOMENT,
        "opened_by": {**nullable(STRING), "description": "The opening office; null where it is confidential"},
        "history": array(ref("StoryStep")),
    })]},
    "StoryStep": obj({"name": STRING, "title": STRING, "department": STRING, "office": STRING,
                      "user": {**nullable(STRING), "description": "Who completed it (their name)"},
                      "completed_at": nullable(MOMENT),
                      "data": {**JSON_OBJECT, "description": "What the step recorded"}}),
    "ReassignRequest": obj({"user_id": {**ID, "minimum": 1}}),
    "CompleteRequest": obj({"data": {**JSON_OBJECT, "description": "Data valid against the task's form"}}),
    "HistoryItem": obj({"name": STRING, "title": STRING, "department": STRING, "user": nullable(STRING),
                        "completed_at": nullable(MOMENT)}),
    "Instance": obj({
        "id": INTEGER, "process_id": STRING, "version": INTEGER,
        "status": {"type": "string", "enum": ["running", "completed", "cancelled", "error"]},
        "region": STRING, "child_id": INTEGER, "end_event": nullable(STRING),
        "open_tasks": array(ref("Task")), "history": array(ref("HistoryItem")),
    }, {"waiting": array(obj({"kind": {"type": "string", "enum": ["message", "signal"]}, "name": STRING,
                              "title": {"type": "string", "description": "The catching element's name"}}))}),
    "EventRequest": obj({"name": {"type": "string", "description": "The BPMN message's or signal's name"}},
                        {"data": {**JSON_OBJECT, "description": "The payload (its correlation properties for a message)"}}),
    "EventResult": obj({"name": STRING,
                        "reached": {**INTEGER, "description": "How many cases the message or signal reached"},
                        "more": {**BOOLEAN, "description": "A signal: other cases the caller may signal still wait "
                                                           "(one call reaches at most 200); send it again"},
                        "instances": array(ref("Instance"))}),
    "OverdueGroup": obj({"department": STRING, "department_name": STRING, "region": STRING, "office": STRING,
                         "count": INTEGER, "oldest_due": MOMENT}),
    "Overdue": obj({"as_of": MOMENT, "groups": array(ref("OverdueGroup")), "tasks": array(ref("Task"))}),
    "Notification": obj({"id": INTEGER, "kind": STRING, "message": STRING, "task_id": nullable(INTEGER),
                         "instance_id": nullable(INTEGER), "department": STRING, "region": STRING,
                         "created_at": MOMENT, "read_at": nullable(MOMENT),
                         "link": nullable({**obj({"kind": {"type": "string", "enum": ["task", "child"]}, "id": INTEGER,
                                                  "api": {"type": "string", "description": "The API resource"},
                                                  "page": {"type": "string", "description": "The web page"}}),
                                           "description": "Where the notice leads (the task, else the child's file); "
                                                          "null when the caller may open neither"})}),
    "Visit": obj({"cycle": INTEGER, "due": MOMENT, "instance_id": nullable(INTEGER), "status": nullable(STRING)}),
    "MonitoringPlan": obj({
        "kind": STRING, "title": STRING, "cadence": {"type": "string", "description": "ISO 8601 duration"},
        "lead": STRING, "status": STRING, "carer": nullable(STRING), "cycles": INTEGER,
        "next_due": nullable(MOMENT), "until": nullable(MOMENT), "closed_reason": nullable(STRING),
        "visits": array(ref("Visit")),
    }),
    "FileEntry": obj({"id": INTEGER, "kind": STRING, "title": STRING, "instance_id": nullable(INTEGER),
                      "created_at": MOMENT, "author": nullable(STRING)}),
    "Guardian": obj({"name": STRING, "relation": {"type": "string", "enum": list(RELATIONS)},
                     "phone": STRING}),
    "ChildItem": obj({
        "id": INTEGER, "name": STRING,
        "id_number_masked": {**nullable(STRING), "description": "430104********0016; in full to offices that hold "
                             "one of the child's cases, the child's village and county civil affairs over it"},
        "region": {"type": "string", "description": "Region code of the residence"},
        "categories": array({"type": "string", "enum": list(CATEGORIES)}),
        "risk": nullable({"type": "string", "enum": list(RISKS)}), "school": nullable(STRING)},
        {"why": {"type": "string", "description": "Why the caller may see the child"}}),
    "ChildRequest": {"type": "object", "description": "Registry fields; on PATCH only those to change, with "
                     "`risk_reason` when the risk grade changes and an optional `reason`", "properties": {
        "id_number": STRING, "name": STRING, "gender": {"type": "string", "enum": ["male", "female"]},
        "birth_date": {"type": "string", "format": "date"}, "region": STRING, "household_region": nullable(STRING),
        "categories": array({"type": "string", "enum": list(CATEGORIES)}),
        "risk": nullable({"type": "string", "enum": list(RISKS)}), "risk_reason": STRING, "reason": STRING,
        "guardians": array(ref("Guardian")), "school_unit_id": nullable(INTEGER)}},
    "RegistryChange": obj({"at": MOMENT, "kind": STRING, "changes": JSON_OBJECT, "reason": nullable(STRING),
                           "user": nullable(STRING), "office": nullable(STRING)}),
    "ChildCase": obj({"id": INTEGER, "process_id": STRING, "name": STRING, "status": STRING, "started_at": MOMENT,
                      "position": array(obj({"title": STRING, "office": STRING, "due": nullable(MOMENT)}))}),
    "ChildFile": obj({
        "id": INTEGER, "name": STRING, "categories": array(STRING), "risk": nullable(STRING),
        "guardians": array(ref("Guardian")), "cases": array(ref("ChildCase")), "entries": array(ref("FileEntry")),
        "region": STRING, "id_number_masked": nullable(STRING), "total": INTEGER, "page": INTEGER, "per_page": INTEGER,
    }, {"risk_set_by": nullable(STRING), "risk_reason": nullable(STRING), "history": array(ref("RegistryChange")),
        "birth_date": {**nullable({"type": "string", "format": "date"}), "description": "Only to those who see the ID "
                       "number in full (else null, and a birth date in `history` is 「（不予显示）」)"},
        "age": {**nullable(INTEGER), "description": "Whole years today"}}),
    "ImportResult": obj({"created": INTEGER, "updated": INTEGER, "errors": array(obj({
        "row": {"type": "integer", "description": "Line of the file (the header is line 1)"},
        "field": STRING, "message": {"type": "string", "description": "In Chinese"}}))}),
    "CsvText": {"type": "string", "description": "UTF-8 CSV with a header row: at least id_number,name,gender,"
                "birth_date,region,categories (categories separated by ;)"},
    "InstanceItem": obj({"id": INTEGER, "process_id": STRING, "name": STRING, "status": STRING, "region": STRING,
                         "child_id": INTEGER, "child_name": STRING, "started_at": MOMENT, "ended_at": nullable(MOMENT),
                         "why": {"type": "string", "description": "Why the caller may see the case"}}),
    "Unit": obj({"id": INTEGER, "code": STRING, "name": STRING, "department": STRING, "department_name": STRING,
                 "region": {"type": "string", "description": "Region code the unit sits in"},
                 "serves": array({"type": "string", "description": "Region code prefix of the area it serves"})}),
    "MoveRequest": obj({"region": {"type": "string", "description": "12-digit code of the new residence (a village)"}}),
    "Move": obj({"child_id": INTEGER, "from": STRING, "region": STRING, "cases": array(INTEGER),
                 "moved_tasks": {**array(INTEGER), "description": "Open tasks that went to the new place's offices"},
                 "kept_tasks": {**array(INTEGER), "description": "Open tasks routed to a chosen unit: they stay"},
                 "plans": {**array(INTEGER), "description": "Monitoring plans that now visit the new place"},
                 "roster_tasks": {**array(INTEGER), "description": "The child director's open contacts and visits, "
                                                                   "now the new village's"}}),
    "IdentityRequest": {"type": "object", "required": ["id_number"], "additionalProperties": False, "properties": {
        "id_number": {"type": "string", "description": "18-digit resident ID number (its check digit is checked)"},
        "name": STRING, "birth_date": {"type": "string", "format": "date", "description": "Read from the number "
                                       "when not given; must agree with it"},
        "gender": {"type": "string", "enum": ["female", "male"]}}},
    "ChildIdentity": obj({"instance_id": INTEGER, "child_id": {"type": "integer", "description": "The registered "
                          "child the case now names (another id than before when the number was registered)"},
                          "name": STRING, "id_number": STRING, "birth_date": {"type": "string", "format": "date"},
                          "gender": {"type": "string", "enum": ["female", "male"]}}),
    "OpenAPI": {**JSON_OBJECT, "description": "This document"},
    # The roster (issue 15.4, 15.6)
    "RosterItem": obj({
        "id": INTEGER, "kind": {"type": "string", "enum": ["contact", "visit"]}, "title": STRING,
        "period": {"type": "string", "description": "The period's cadence and first day, e.g. P1M:2027-03-01"},
        "starts_on": {"type": "string", "format": "date"}, "due": MOMENT,
        "state": {"type": "string", "enum": ["open", "completed", "cancelled"]}, "overdue": BOOLEAN,
        "region": {"type": "string", "description": "The child's village (residence)"},
        "child": obj({"id": INTEGER, "name": STRING, "risk": nullable(STRING), "categories": array(STRING)}),
        "completed_at": nullable(MOMENT),
        "started_instance_id": {**nullable(INTEGER), "description": "The case a finding started, if any"},
    }),
    "RosterDetail": {"allOf": [ref("RosterItem"), obj({
        "findings": {**nullable(JSON_OBJECT), "description": "What the contact or visit recorded"},
        "form": {**JSON_OBJECT, "description": "JSON Schema (2020-12) of the record"},
        "may_record": BOOLEAN})]},
    "RosterDone": {"allOf": [ref("RosterItem"), obj({"findings": JSON_OBJECT})]},
    "RosterRecordRequest": obj({"data": {**JSON_OBJECT, "description": "The record (see `form` of GET /roster/{id}); "
                                         "`follow_up` names procedures to start for the child with the finding"}}),
    "FileCheck": obj({
        "id": INTEGER, "township": STRING, "county": STRING, "period": {"type": "string", "description": "YYYY-MM"},
        "due": MOMENT, "state": STRING,
        "items": array(obj({"child_id": INTEGER, "name": STRING, "village": STRING, "problems": array(STRING)})),
        "more": {"type": "integer", "description": "Files wanting beyond those listed"},
        "findings": nullable(JSON_OBJECT), "completed_at": nullable(MOMENT)}),
    "FileCheckRequest": obj({"data": {**JSON_OBJECT, "description": "`summary` (required) and `rectify_by` (a date)"}}),
    # The school's yearly mental-health check (a light task held by the child's school)
    "SchoolCheckItem": obj({
        "id": INTEGER, "school_year": {"type": "integer", "description": "The year the school year began"},
        "school_unit": INTEGER, "starts_on": {"type": "string", "format": "date"}, "due": MOMENT,
        "state": {"type": "string", "enum": ["open", "completed", "cancelled"]}, "overdue": BOOLEAN,
        "child": obj({"id": INTEGER, "name": STRING, "region": STRING}),
        "completed_at": nullable(MOMENT),
        "started_instance_id": {**nullable(INTEGER), "description": "The psych_referral a concern started, if any"},
    }),
    "SchoolCheckDetail": {"allOf": [ref("SchoolCheckItem"), obj({
        "findings": {**nullable(JSON_OBJECT), "description": "The record (only to the child's school)"},
        "form": {**JSON_OBJECT, "description": "JSON Schema of the record"}, "may_record": BOOLEAN})]},
    "SchoolCheckDone": {"allOf": [ref("SchoolCheckItem"), obj({"findings": nullable(JSON_OBJECT)})]},
    "SchoolCheckRequest": obj({"data": {**JSON_OBJECT, "description": "checked_on, method, result (normal or "
                                        "concern), signs, observation; a concern starts psych_referral"}}),
}

# Error codes (DESIGN.md): what each one means on this API.
ERRORS = {
    400: "Malformed request: not JSON, not a JSON object, or nested more than 64 levels",
    401: "No bearer token, or an invalid, expired or revoked one (or bad credentials)",
    403: "The caller's office may not do or see this",
    404: "No such id (every id beyond 2^63 − 1 included), or no such process",
    409: "Conflict: already completed, claimed by someone else, or changed meanwhile",
    413: "Body larger than the server accepts (MAX_CONTENT_LENGTH, 2 MiB by default)",
    422: "Input fails its form or has a field of the wrong type (`errors` names the fields); on completing "
         "a task also `code: engine_error` (the procedure's design failed at run time; nothing saved)",
    429: "Too many failed logins for this name or from this address: retry after `Retry-After` seconds",
}

PAGE = {"page": {"type": "string", "description": "Page number, from 1"},
        "per_page": {"type": "string", "description": "Items a page (default 50, at most 200)"}}


def op(summary: str, answer: str | None, *, status: int = 200, body: str | None = None, errors=(),
       auth: bool = True, query: dict | None = None, body_media: str = "application/json",
       error_answers: dict | None = None) -> dict:
    """`body_media`: the request body's media type (a CSV upload); `error_answers`: an error code whose
    body is not the usual `Error`/`ValidationError` → its schema name."""
    return {"summary": summary, "answer": answer, "status": status, "body": body, "errors": tuple(errors),
            "auth": auth, "query": query or {}, "body_media": body_media, "error_answers": error_answers or {}}


OPERATIONS = {
    "api.openapi_document": op("This OpenAPI document", "OpenAPI", auth=False),
    "api.token": op("Exchange a username and password for a bearer token", "Token", body="TokenRequest",
                    errors=[401, 429], auth=False),
    "api.logout": op("End the calling token (it answers 401 from then on)", None, status=204),
    "api.list_processes": op("Deployed process definitions (latest versions), retired ones marked", "Process[]"),
    "api.get_process": op("A process definition with the JSON Schema of its start data", "ProcessDetail", errors=[404]),
    "api.start_instance": op("Start a case of a process for a child in a region (a retired process: 422, `errors.process`)",
                             "Instance", status=201,
                             body="StartRequest", errors=[403, 404, 422], error_answers={422: "CompletionRefused"}),
    "api.list_tasks": op("Open tasks the caller may act on, a page at a time (X-Total-Count, Link)", "Task[]",
                         errors=[422], query={
                             "overdue": {"type": "string", "enum": ["1"], "description": "1: only overdue tasks"},
                             "process_id": STRING, "show": {"type": "string", "enum": ["all", "mine", "unclaimed"]},
                             "sort": STRING, **PAGE}),
    "api.get_task": op("A task with its form, data and why it is routed here (audited read)", "TaskDetail",
                       errors=[403, 404]),
    "api.claim_task": op("Claim a task", "Task", errors=[403, 404, 409]),
    "api.release_task": op("Release a claimed task", "Task", errors=[403, 404, 409]),
    "api.reassign_task": op("Reassign a task (supervisors: their department in their jurisdiction; a unit's task "
                            "within the unit)", "Task", body="ReassignRequest",
                            errors=[403, 404, 409, 422]),
    "api.complete_task": op("Complete a task with its form's data", "Instance", body="CompleteRequest",
                            errors=[403, 404, 409, 422], error_answers={422: "CompletionRefused"}),
    "api.get_child": op("A child's file, newest entries first, a page at a time (audited read)", "ChildFile",
                        errors=[403, 404, 422], query={"kind": STRING, "since": STRING, "until": STRING, **PAGE}),
    "api.update_child": op("Change a child's registry entry (the change is kept as history)", "ChildFile",
                           body="ChildRequest", errors=[403, 404, 409, 422]),
    "api.list_children": op("Children in the caller's jurisdiction, a page at a time (X-Total-Count, Link)",
                            "ChildItem[]", errors=[422], query={
                                "q": {"type": "string", "description": "Name (part of it) or ID number (its start)"},
                                "category": STRING, "risk": STRING, "region": STRING, **PAGE}),
    "api.register_child": op("Register a child", "ChildFile", status=201, body="ChildRequest", errors=[403, 409, 422]),
    "api.import_children": op("Import children from a CSV file: all rows or none; a registered ID number updates",
                              "ImportResult", body="CsvText", body_media="text/csv", errors=[403, 422],
                              error_answers={422: "ImportResult"}),
    "api.list_instances": op("Cases the caller may read, newest first, a page at a time (X-Total-Count, Link)",
                             "InstanceItem[]", errors=[422], query={
                                 "status": STRING, "process_id": STRING, "child_id": STRING,
                                 "mine": {"type": "string", "enum": ["1"], "description": "1: cases my office "
                                          "opened or acted on"}, "q": STRING, "region": STRING, "since": STRING,
                                 "until": STRING, **PAGE}),
    "api.move_child": op("Record a child's new residence (civil affairs): open place-routed tasks move there",
                         "Move", body="MoveRequest", errors=[403, 404, 422]),
    "api.send_message": op("Deliver a BPMN message to a case waiting for it (correlated by its correlation properties)",
                           "EventResult", body="EventRequest", errors=[403, 404, 409, 422], error_answers={422: "CompletionRefused"}),
    "api.send_signal": op("Broadcast a BPMN signal to the running cases waiting for it that the caller may signal "
                          "(at most 200 a call; a signal the procedure raises itself is refused, 409)",
                          "EventResult", body="EventRequest", errors=[409, 422], error_answers={422: "CompletionRefused"}),
    "api.identify_child": op("Complete the identity of a child reported without it (police or civil affairs "
                             "handling the case; audited); a registered ID number links the case to that child",
                             "ChildIdentity", body="IdentityRequest", errors=[403, 404, 409, 422]),
    "api.get_instance": op("A case: status, open tasks and history (audited read)", "Instance", errors=[403, 404]),
    "api.get_monitoring": op("The recurring-visit plans a case opened, with their visits", "MonitoringPlan[]",
                             errors=[403, 404]),
    "api.list_overdue": op("Overdue open tasks the caller oversees, per department and office", "Overdue",
                           errors=[422], query={"department": STRING, "region": {
                               "type": "string", "description": "12-digit region code: it and everything under it"},
                               **PAGE}),
    "api.list_notifications": op("The caller's notices, newest first", "Notification[]",
                                 query={"unread": {"type": "string", "enum": ["1"], "description": "1: unread only"}}),
    "api.list_units": op("Active units (schools, hospitals, institutions) serving a place", "Unit[]", errors=[422],
                         query={"department": STRING, "region": {
                             "type": "string", "description": "12-digit region code the units must serve"}}),
    "api.read_notification": op("Mark a notice read", "Notification", errors=[403, 404]),
    "roster_api.list_roster": op(
        "The roster the caller sees (a village's child director; a township's or county's villages), a page at a time "
        "(X-Total-Count counted up to 10 000; X-Total-Count-Capped: true when there are more)",
        "RosterItem[]", errors=[403, 422], query={
            "period": {"type": "string", "description": "YYYY-MM (periods overlapping that month) or current"},
            "state": {"type": "string", "enum": ["open", "completed", "cancelled", "all"]},
            "kind": {"type": "string", "enum": ["contact", "visit"]},
            "overdue": {"type": "string", "enum": ["1"], "description": "1: only open tasks past due"}, **PAGE}),
    "roster_api.get_roster_task": op("A roster task with its findings and the record's form (audited read)",
                                     "RosterDetail", errors=[403, 404]),
    "roster_api.complete_roster_task": op(
        "Record a contact or home visit; its follow_up starts procedures for the child with the finding", "RosterDone",
        body="RosterRecordRequest", errors=[403, 404, 409, 422]),
    "roster_api.list_file_checks": op("County civil affairs' six-monthly file checks per township", "FileCheck[]",
                                      errors=[403, 422], query={
                                          "state": {"type": "string", "enum": ["open", "completed", "all"]}}),
    "roster_api.complete_file_check": op("Record a file check's findings (sent to the township)", "FileCheck",
                                         body="FileCheckRequest", errors=[403, 404, 409, 422]),
    "school_checks_api.list_checks": op(
        "The yearly school mental-health checks of the caller's school (or an education office's schools), soonest "
        "due first, a page at a time", "SchoolCheckItem[]", errors=[403, 422], query={
            "state": {"type": "string", "enum": ["open", "completed", "cancelled"]},
            "overdue": {"type": "string", "enum": ["1"], "description": "1: only open checks past due"}, **PAGE}),
    "school_checks_api.get_check": op("A school check with the record's form (findings to the school only, audited)",
                                      "SchoolCheckDetail", errors=[403, 404]),
    "school_checks_api.complete_check": op("Record a school check; a concern starts psych_referral for the child",
                                           "SchoolCheckDone", body="SchoolCheckRequest",
                                           errors=[403, 404, 409, 422]),
}


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
