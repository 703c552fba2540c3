"""The child registry on the API: files, registration, CSV import, moves and identities."""
from ..services.registry.codes import CATEGORIES, RELATIONS, RISKS
from .shapes import INTEGER, JSON_OBJECT, MOMENT, PAGE, STRING, array, nullable, obj, op, ref

SCHEMAS = {
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
}

OPERATIONS = {
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
    "api.move_child": op("Record a child's new residence (civil affairs): open place-routed tasks move there",
                         "Move", body="MoveRequest", errors=[403, 404, 422]),
    "api.identify_child": op("Complete the identity of a child reported without it (police or civil affairs "
                             "handling the case; audited); a registered ID number links the case to that child",
                             "ChildIdentity", body="IdentityRequest", errors=[403, 404, 409, 422]),
}
