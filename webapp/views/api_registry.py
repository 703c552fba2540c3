"""The registry's calls on /api/v1 (issue 15.8, fixed): children, their file, the import, the case list.

Routes hang off the API blueprint (`views/api.py`: its token check, errors and paging), so they
share its rules: JSON errors in Chinese, 404 for unknown ids, reads of a child audited.
"""
from flask import current_app, g, jsonify, request

from ..engine.clock import local_date
from ..services import audit, cases, childfile, tasklists
from ..services.errors import Invalid
from ..services.registry import children, importing, scope, search
from .api import bp, json_body, paged, token_required
from .common import audit_read, engine, now, remote_addr, session
from .params import whole_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page():
    return tasklists.page_params(request.args.get("page"), request.args.get("per_page"))


def child_item(item: search.ChildItem) -> dict:
    c = item.child
    return {"id": c.id, "name": c.name, "id_number_masked": item.id_number, "region": c.region_code,
            "categories": list(c.categories or []), "risk": c.risk_grade, "school": item.school, "why": item.why}


def child_file(child, held: int | None, why: str, entries=None, visible=None) -> dict:
    """The child's file as the caller may see it (registry part, cases with their position, entries);
    the full ID number and the birth date only as `scope.sees_identity` says, else the age. `visible`:
    the child's cases the caller may read, when known (`scope.open_file`)."""
    s = session()
    if visible is None:
        visible = scope.cases_of_child(s, g.api_user, child)
    where = childfile.positions(s, visible)
    changes = children.history(s, child)
    risk = children.risk_setting(s, child, changes)
    shown = scope.identity(g.api_user, child, held is not None, local_date(now()))
    body = {
        "id": child.id, "name": child.name, "id_number_masked": shown.id_number,
        "gender": child.gender, "birth_date": shown.birth_date.isoformat() if shown.birth_date else None,
        "age": shown.age,
        "region": child.region_code, "household_region": child.household_region_code,
        "categories": list(child.categories or []), "risk": child.risk_grade,
        "risk_set_by": (risk.office.name if risk.office else risk.user.display_name if risk.user else None) if risk else None,
        "risk_reason": risk.reason if risk else None,
        "school_unit_id": child.school_unit_id, "why": why,
        "guardians": [{"name": x.name, "relation": x.relation, "phone": x.phone} for x in children.guardians_of(s, child)],
        "history": [{"at": h.at.isoformat(), "kind": h.kind, "changes": children.shown_changes(h.changes, shown.full),
                     "reason": h.reason, "user": h.user.username if h.user else None,
                     "office": h.office.name if h.office else None} for h in changes],
        "cases": [{"id": c.id, "process_id": c.definition.process_id, "name": c.definition.name, "status": c.status,
                   "started_at": c.started_at.isoformat(),
                   "position": [{**p, "due": p["due"].isoformat() if p["due"] else None} for p in where.get(c.id, [])]}
                  for c in visible],
    }
    if entries is not None:
        body.update({"entries": [{"id": e.id, "kind": e.kind, "title": e.title, "instance_id": e.case_id,
                                  "created_at": e.created_at.isoformat(),
                                  "author": e.author.username if e.author else None} for e in entries.items],
                     "total": entries.total, "page": entries.page, "per_page": entries.per_page})
    return body


@bp.get("/children")
@token_required
def list_children():
    """Children in the caller's reach: `?q=` (name or ID number), `category=`, `risk=`, `region=`."""
    page, per_page = _page()
    args = request.args
    listed = search.find_children(session(), g.api_user, args.get("q") or None, args.get("category") or None,
                                  args.get("risk") or None, args.get("region") or None, page, per_page)
    response = paged(jsonify([child_item(i) for i in listed.items]), listed)
    if listed.capped:  # X-Total-Count is then a lower bound (services/registry/paging.py COUNT_CAP)
        response.headers["X-Total-Count-Capped"] = "true"
    return response


def _probe() -> dict:
    """The identity-probe allowance and the caller's address (services/registry/probing.py)."""
    return {"allowance": current_app.config["IDENTITY_PROBE_ALLOWANCE"], "remote_addr": remote_addr()}


@bp.post("/children")
@token_required
def register_child():
    s = session()
    child = children.register(s, g.api_user, json_body(), now(), **_probe())
    s.commit()
    return jsonify({**child_file(child, None, "本单位登记"), "entries": [], "total": 0, "page": 1,
                    "per_page": tasklists.PER_PAGE}), 201


@bp.get("/children/<int:child_id>")
@token_required
def get_child(child_id):
    """The child's file, newest entries first, a page at a time (`?page=`, `?per_page=`, `?kind=`,
    `?since=`/`?until=` days)."""
    s = session()
    opened = scope.open_file(s, g.api_user, child_id)
    child, at = opened.child, now()
    page, per_page = _page()
    args = request.args
    listed = childfile.file_page(s, child, g.api_user, page, per_page, args.get("kind") or None, at, remote_addr(),
                                 since=args.get("since") or None, until=args.get("until") or None,
                                 listed=opened.cases, readable=opened.readable)
    # The read's audit entry goes with this request's one commit, or on its own should the answer fail.
    with audit.read_committed_with(s, g.api_user, "child.read", f"child:{child.id}", child_id=child.id,
                                   detail={"via": "api"}, now=at, remote_addr=remote_addr()):
        body = child_file(child, opened.held, opened.why, listed, opened.visible)
        s.commit()
    return paged(jsonify(body), listed)


@bp.patch("/children/<int:child_id>")
@token_required
def update_child(child_id):
    s = session()
    child, why, held = scope.readable_child(s, g.api_user, child_id)
    children.update(s, g.api_user, child, json_body(), now(), **_probe())
    s.commit()
    listed = childfile.file_page(s, child, g.api_user, now=now(), remote_addr=remote_addr())
    audit_read(g.api_user, "child.read", f"child:{child.id}", child_id=child.id)
    return jsonify(child_file(child, held, why, listed))


@bp.post("/children/import")
@token_required
def import_children():
    """A CSV body (UTF-8, header row), or an XLSX workbook sent as such: all rows or none."""
    if not scope.may_write(g.api_user):
        return jsonify({"error": "只有村（居）、乡镇（街道）和民政部门可以导入儿童名册"}), 403
    kind = "xlsx" if request.mimetype == XLSX else "csv"
    s = session()
    try:
        result = importing.import_children(s, g.api_user, request.get_data(cache=False), now(), kind, **_probe())
    except importing.ImportFailed as err:
        s.rollback()
        return jsonify({"error": err.message, "created": 0, "updated": 0, "errors": err.rows}), 422
    s.commit()
    return jsonify({"created": result.created, "updated": result.updated, "errors": []})


@bp.get("/instances")
@token_required
def list_instances():
    """Cases the caller may read: `status=` (or `finished`), `process_id=`, `child_id=`, `mine=1`, `q=`,
    `region=`, `since=`/`until=` (start days)."""
    args = request.args
    child_id = args.get("child_id") or None
    if child_id is not None and whole_number(child_id) is None:
        raise Invalid({"child_id": "应为正整数"})
    page, per_page = _page()
    listed = search.find_cases(session(), g.api_user, q=args.get("q") or None, process=args.get("process_id") or None,
                               status=args.get("status") or None, region=args.get("region") or None,
                               since=args.get("since") or None, until=args.get("until") or None,
                               child_id=int(child_id) if child_id else None, mine=args.get("mine") == "1",
                               page=page, per_page=per_page)
    return paged(jsonify([{
        "id": i.case.id, "process_id": i.case.definition.process_id, "name": i.case.definition.name,
        "status": i.case.status, "region": i.case.region_code, "region_name": i.region_name,
        "child_id": i.case.child_id, "child_name": i.case.child.name, "started_at": i.case.started_at.isoformat(),
        "ended_at": i.case.ended_at.isoformat() if i.case.ended_at else None, "why": i.why,
    } for i in listed.items]), listed)


@bp.post("/instances/<int:instance_id>/child-identity")
@token_required
def identify_child(instance_id):
    """补全儿童身份 (services/cases/identity.py): police or civil affairs handling a report made
    without the child's ID number add it; a registered number links the case to that child."""
    s = session()
    case = cases.complete_identity(s, engine(), instance_id, g.api_user, json_body(), now(), remote_addr())
    child = case.child
    s.commit()
    return jsonify({"instance_id": case.id, "child_id": child.id, "name": child.name, "id_number": child.id_number,
                    "birth_date": child.birth_date.isoformat(), "gender": child.gender})
