"""The light recurring tasks on the API: the roster, county file checks and school checks."""
from .shapes import BOOLEAN, INTEGER, JSON_OBJECT, MOMENT, PAGE, STRING, array, nullable, obj, op, ref

SCHEMAS = {
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

OPERATIONS = {
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
