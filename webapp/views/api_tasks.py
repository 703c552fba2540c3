"""The API's tasks (/api/v1/tasks…): the list, one task, claim, release, reassign, complete; and
what follows them: overdue tasks and notices. Routes on the API blueprint (`views/api.py`)."""
from flask import g, jsonify, request, url_for

from ..models import Notification
from ..services import cases, deadlines, supervision, tasklists
from ..services.errors import Invalid
from .api import bp, id_field, instance_json, json_answer, json_body, paged, task_json, tasks_json, token_required
from .common import audit_read, engine, now, remote_addr, session
from .form_display import audit_reporter_read

@bp.get("/tasks")
@token_required
def list_tasks():
    """Open tasks the caller may act on: still a JSON list, a page at a time.

    `?page=` (from 1) and `?per_page=` (default 50, at most 200); `X-Total-Count` and a `Link`
    header (rel next/prev) say how many there are and where the other pages are. Filters:
    `overdue=1`, `process_id=`, `show=mine|unclaimed`, `sort=due|-due|since|-since`.
    """
    args = request.args
    page, per_page = tasklists.page_params(args.get("page"), args.get("per_page"))
    sort, show = args.get("sort", "due"), args.get("show", "all")
    if sort not in tasklists.SORTS or show not in tasklists.SHOWS:
        raise Invalid({"sort" if sort not in tasklists.SORTS else "show": "不支持的取值"})
    listed = tasklists.task_list(session(), g.api_user, process=args.get("process_id") or None, show=show,
                                 overdue_at=now() if args.get("overdue") == "1" else None, sort=sort,
                                 page=page, per_page=per_page, columns=tasklists.API_COLUMNS)
    return paged(jsonify(tasks_json(listed.items)), listed)


@bp.get("/tasks/<int:task_id>")
@token_required
def get_task(task_id):
    s = session()
    task = cases.task_for_actor(s, task_id, g.api_user, now(), remote_addr())
    case = task.case
    audit_read(g.api_user, "task.read", f"task:{task.id}", child_id=case.child_id, case=case,
               case_id=task.case_id, name=task.name)
    data = cases.shown_data(g.api_user, case, cases.task_data(engine(), task))
    start = cases.shown_data(g.api_user, case, cases.start_data(engine(), case))
    audit_reporter_read(g.api_user, case, data, start)
    opener = cases.opener_shown(g.api_user, case)
    history = [{
        "name": t.name, "title": t.title, "department": t.department,
        "office": cases.task_office(s, t),
        "user": t.completed_by.display_name if t.completed_by else None,
        "completed_at": t.completed_at.isoformat() if t.completed_at else None,
        "data": cases.shown_data(g.api_user, case, t.data or {}),
    } for t in cases.completed_tasks(s, case)]
    return jsonify({**task_json(task), "form": cases.task_form(s, task), "data": data,
                    "why": cases.why_routed(s, task),
                    "case_data": start, "opened_at": case.started_at.isoformat(),
                    "opened_by": opener.office.name if opener is not None and opener.office else None,
                    "history": history})


@bp.post("/tasks/<int:task_id>/claim")
@token_required
def claim_task(task_id):
    task = cases.claim(session(), task_id, g.api_user, now(), remote_addr())
    session().commit()
    return jsonify(task_json(task))


@bp.post("/tasks/<int:task_id>/release")
@token_required
def release_task(task_id):
    task = cases.release(session(), task_id, g.api_user, now(), remote_addr())
    session().commit()
    return jsonify(task_json(task))


@bp.post("/tasks/<int:task_id>/reassign")
@token_required
def reassign_task(task_id):
    body = json_body()
    task = cases.reassign(session(), task_id, g.api_user, id_field(body, "user_id"), now(), remote_addr())
    session().commit()
    return jsonify(task_json(task))


@bp.post("/tasks/<int:task_id>/complete")
@token_required
def complete_task(task_id):
    body = json_body()
    case = cases.complete_task(session(), engine(), task_id, body.get("data"), g.api_user, now(), remote_addr())
    answer = json_answer(instance_json(case))  # before the commit, which would expire the case and read it (and its workflow) again
    session().commit()
    return answer


@bp.get("/overdue")
@token_required
def list_overdue():
    """Overdue open tasks the caller oversees, counted per department and office, and listed.

    `?department=civil_affairs` and `?region=430104000000` (the region and everything under it) narrow it.
    """
    department = request.args.get("department") or None
    region = request.args.get("region") or None
    page, per_page = tasklists.page_params(request.args.get("page"), request.args.get("per_page"))
    moment = now()
    groups = deadlines.overdue_summary(session(), g.api_user, moment, department, region)
    listed = deadlines.overdue_page(session(), g.api_user, moment, department, region, page, per_page,
                                    total=sum(group.count for group in groups), columns=tasklists.API_COLUMNS)
    return paged(jsonify({
        "as_of": moment.isoformat(),
        "groups": [{"department": x.department, "department_name": x.department_name, "region": x.office_region,
                    "office": x.office, "count": x.count, "oldest_due": x.oldest_due.isoformat()} for x in groups],
        "tasks": tasks_json(listed.items),
        "total": listed.total, "page": listed.page, "per_page": listed.per_page,
    }), listed)


LINK_ENDPOINTS = {"task": ("api.get_task", "tasks.detail", "task_id"), "child": ("api.get_child", "cases.child", "child_id")}


def link_json(link: tuple[str, int] | None) -> dict | None:
    """Where a notice leads (the overdue page's link): the API resource and the web page, or None."""
    if link is None:
        return None
    kind, target = link
    api_endpoint, page_endpoint, arg = LINK_ENDPOINTS[kind]
    return {"kind": kind, "id": target, "api": url_for(api_endpoint, **{arg: target}),
            "page": url_for(page_endpoint, **{arg: target})}


def notification_json(notice, link: tuple[str, int] | None = None) -> dict:
    return {"id": notice.id, "kind": notice.kind, "message": notice.message, "task_id": notice.task_id,
            "instance_id": notice.case_id, "department": notice.department, "region": notice.office_region,
            "created_at": notice.created_at.isoformat(),
            "read_at": notice.read_at.isoformat() if notice.read_at else None, "link": link_json(link)}


def notifications_json(notices) -> list[dict]:
    """Each notice with its link, only where the caller may open the page (services.supervision)."""
    links = supervision.notice_links(session(), g.api_user, notices)
    return [notification_json(n, links.get(n.id)) for n in notices]


@bp.get("/notifications")
@token_required
def list_notifications():
    """The caller's notices (and those for their whole office), newest first; `?unread=1` for unread only."""
    query = deadlines.notifications_query(g.api_user)
    if request.args.get("unread") == "1":
        query = query.where(Notification.read_at.is_(None))
    return jsonify(notifications_json(session().scalars(query.limit(200)).all()))


@bp.post("/notifications/<int:notice_id>/read")
@token_required
def read_notification(notice_id):
    notice = deadlines.mark_read(session(), g.api_user, notice_id, now())
    session().commit()
    return jsonify(notifications_json([notice])[0])
