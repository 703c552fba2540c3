"""The roster's JSON API under /api/v1 (issue 15.4, 15.6): the same bearer tokens, errors and pages as `api`."""
from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import csrf
from ..models import RosterFileCheck, RosterTask
from ..services import roster, tasklists
from ..services.errors import Invalid, ServiceError
from . import api
from .common import audit_read, engine, now, remote_addr, session

bp = Blueprint("roster_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ServiceError, api._service_error)
bp.register_error_handler(HTTPException, api._http_error)


def item_json(task: RosterTask, moment) -> dict:
    child = task.child
    return {
        "id": task.id, "kind": task.kind, "title": roster.title_of(task), "period": task.period,
        "starts_on": task.starts_on.isoformat(), "due": task.due.isoformat(), "state": task.state,
        "overdue": task.state == "open" and task.due < moment, "region": child.region_code,
        "child": {"id": child.id, "name": child.name, "risk": child.risk_grade, "categories": list(child.categories or [])},
        "completed_at": task.completed_at.isoformat() if task.completed_at else None,
        "started_instance_id": task.started_case_id,
    }


def check_json(check: RosterFileCheck) -> dict:
    return {"id": check.id, "township": check.township_code, "county": check.county_code, "period": check.period,
            "due": check.due.isoformat(), "state": check.state,
            "items": [item for item in check.items if "child_id" in item],
            "more": sum(item.get("more", 0) for item in check.items),
            "findings": check.findings, "completed_at": check.completed_at.isoformat() if check.completed_at else None}


def data_of(body: dict) -> dict:
    data = body.get("data")
    if not isinstance(data, dict):
        raise Invalid({"data": "必须是一个对象（所填写的内容）"})
    return data


@bp.get("/roster")
@api.token_required
def list_roster():
    """The roster the caller sees: the child director's village, or a township's or county's villages."""
    args = request.args
    page, per_page = tasklists.page_params(args.get("page"), args.get("per_page"))
    moment = now()
    listed = roster.roster_page(session(), g.api_user, moment, state=args.get("state", "open"),
                                period=args.get("period") or None, overdue=args.get("overdue") == "1",
                                kind=args.get("kind") or None, page=page, per_page=per_page)
    response = api.paged(jsonify([item_json(t, moment) for t in listed.items]), listed)
    if listed.capped:  # X-Total-Count is then a lower bound (services/roster/lists.py COUNT_CAP)
        response.headers["X-Total-Count-Capped"] = "true"
    return response


@bp.get("/roster/<int:task_id>")
@api.token_required
def get_roster_task(task_id):
    task = roster.task_for(session(), task_id, g.api_user)
    audit_read(g.api_user, "roster.read", f"roster:{task.id}", child_id=task.child_id)
    return jsonify({**item_json(task, now()), "findings": task.findings, "form": roster.RECORD_FORM,
                    "may_record": roster.may_record(g.api_user, task)})


@bp.post("/roster/<int:task_id>/complete")
@api.token_required
def complete_roster_task(task_id):
    """Record a contact or visit; `data.follow_up` starts procedures for the child with the finding."""
    task = roster.complete(session(), engine(), task_id, data_of(api.json_body()), g.api_user, now(), remote_addr())
    session().commit()
    return jsonify({**item_json(task, now()), "findings": task.findings})


@bp.get("/roster/checks")
@api.token_required
def list_file_checks():
    state = request.args.get("state", "open")
    if state not in ("open", "completed", "all"):
        raise Invalid({"state": "应为 open、completed 或 all"})
    found = session().scalars(roster.checks_query(g.api_user, None if state == "all" else state).limit(200))
    return jsonify([check_json(c) for c in found])


@bp.post("/roster/checks/<int:check_id>/complete")
@api.token_required
def complete_file_check(check_id):
    check = roster.complete_check(session(), check_id, data_of(api.json_body()), g.api_user, now())
    session().commit()
    return jsonify(check_json(check))
