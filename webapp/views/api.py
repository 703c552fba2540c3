"""The JSON API under /api/v1 (DESIGN.md, fixed): bearer tokens, JSON in and out."""
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import csrf, jsonlimits, openapi
from ..catalog import DEPARTMENTS, department_name
from ..models import Case, HumanTask, Notification
from ..security import login_policy, login_throttle, security_now
from ..services import audit, cases, deadlines, definitions, messages, monitoring, moves, sessions, tasklists, units
from ..services import login as logins
from ..services.errors import Invalid, ServiceError
from .common import audit_read, engine, now, remote_addr, session
from .form_display import audit_reporter_read
from .limits import ID_MAX

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def error(status: int, message: str, **extra):
    return jsonify({"error": message, **extra}), status


@bp.errorhandler(ServiceError)
def _service_error(err: ServiceError):
    session().rollback()
    if isinstance(err, Invalid):
        return error(422, err.message, errors=err.errors)
    if err.status >= 500:
        current_app.logger.error("API %s failed: %s", request.path, err.message)
    return error(err.status, err.message, **{k: v for k, v in err.extra.items() if k != "errors"})


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    messages = {400: "请求格式错误（需要 JSON）", 404: "资源不存在", 405: "不支持该请求方法",
                413: f"请求体过大（上限 {(current_app.config.get('MAX_CONTENT_LENGTH') or 0) // 1024} KiB）"}
    return error(err.code or 500, messages.get(err.code, err.description))


def json_body() -> dict:
    """The body as a JSON object; anything else (not JSON, malformed, nested too deep) is a 400 saying why."""
    if not request.is_json:
        raise ServiceError("请求体必须是 JSON 对象（Content-Type: application/json）")
    try:
        body = jsonlimits.loads(request.get_data(cache=True))
    except (jsonlimits.TooDeep, jsonlimits.HasNul) as err:
        raise ServiceError(f"请求体格式错误：{err}") from None
    except ValueError:
        raise ServiceError("请求体不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise ServiceError("请求体必须是 JSON 对象")
    return body


def id_field(body: dict, name: str) -> int:
    """A row id given in the body: an integer a row can have, else 422 naming the field."""
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
        raise Invalid({name: "必须是有效的编号（正整数）"})
    return value


def token_required(view):
    """Bearer token of a live server-side API session (`POST /auth/token`; ended by
    `POST /auth/logout`, a password change or deactivation)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else ""
        s = session()
        user = sessions.resolve(s, token, "api", security_now(),
                                max_age=timedelta(seconds=current_app.config["API_TOKEN_MAX_AGE"])) if token else None
        if user is None:
            s.rollback()
            return error(401, "未登录或令牌无效")
        if s.dirty:  # the session's last-seen time (written at most once a minute), before the call's own work
            s.commit()
        g.api_user, g.api_token = user, token
        return view(*args, **kwargs)
    return wrapped


# -- shapes -------------------------------------------------------------------------------
def task_json(task: HumanTask, offices: dict[int, str] | None = None) -> dict:
    """A task item; `offices` (from `cases.task_offices`) names the offices of a whole list at once."""
    return {
        "id": task.id, "name": task.name, "title": task.title, "process_id": task.process_id,
        "instance_id": task.case_id, "department": task.department, "region": task.office_region,
        "due": task.due.isoformat() if task.due else None,
        "claimed_by": task.claimed_by.username if task.claimed_by else None,
        "state": task.state,
        "overdue": bool(task.state == "open" and task.due is not None and task.due < now()),
        "escalated_at": task.escalated_at.isoformat() if task.escalated_at else None,
        "office": offices[task.id] if offices is not None else cases.task_office(session(), task),
    }


def tasks_json(tasks) -> list[dict]:
    tasks = list(tasks)
    offices = cases.task_offices(session(), tasks)
    return [task_json(t, offices) for t in tasks]


def instance_json(case: Case) -> dict:
    s = session()
    return {
        "id": case.id, "process_id": case.definition.process_id, "version": case.definition.version,
        "status": case.status, "region": case.region_code, "child_id": case.child_id,
        "end_event": case.end_event, "waiting": [{k: w[k] for k in ("kind", "name", "title")} for w in case.waiting_for or []],
        "open_tasks": tasks_json(cases.open_tasks(s, case)),
        "history": cases.history(s, case),
    }


# -- calls --------------------------------------------------------------------------------
@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API (public: it describes calls, it holds no data)."""
    return jsonify(openapi.document(current_app.url_map))


@bp.post("/auth/token")
def token():
    body = json_body()
    s = session()
    outcome = logins.attempt(s, login_throttle(), login_policy(), str(body.get("username", "")),
                             str(body.get("password", "")), now=security_now(), audit_now=now(),
                             remote_addr=remote_addr(), via="api")
    if outcome.user is None:
        s.commit()
        if outcome.throttled:
            minutes = max(1, -(-outcome.retry_after // 60))
            response, status = error(429, f"登录失败次数过多，请 {minutes} 分钟后再试", retry_after=outcome.retry_after)
            response.headers["Retry-After"] = str(outcome.retry_after)
            return response, status
        return error(401, "用户名或密码错误")
    token = sessions.open_session(s, outcome.user, "api", security_now(), remote_addr())
    audit.record(s, now(), outcome.user, "login", "api", None, remote_addr())
    s.commit()
    return jsonify({"token": token})


@bp.post("/auth/logout")
@token_required
def logout():
    """End the calling token; it answers 401 from now on."""
    s = session()
    sessions.revoke(s, g.api_token, security_now(), "logout")
    audit.record(s, now(), g.api_user, "logout", "api", None, remote_addr())
    s.commit()
    return "", 204


@bp.get("/processes")
@token_required
def list_processes():
    return jsonify([{"id": d.process_id, "name": d.name, "version": d.version}
                    for d in definitions.latest_all(session())])


@bp.get("/processes/<process_id>")
@token_required
def get_process(process_id):
    d = definitions.get_latest_or_404(session(), process_id)
    return jsonify({"id": d.process_id, "name": d.name, "version": d.version,
                    "deployed_at": d.deployed_at.isoformat(), "form": definitions.form_of(d, d.start_form)})


@bp.post("/processes/<process_id>/instances")
@token_required
def start_instance(process_id):
    body = json_body()
    case = cases.start_case(session(), engine(), process_id, body.get("region"), body.get("data"),
                            g.api_user, now(), remote_addr())
    session().commit()
    return jsonify(instance_json(case)), 201


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
                                 page=page, per_page=per_page)
    return paged(jsonify(tasks_json(listed.items)), listed)


def paged(response, listed):
    """`X-Total-Count` and an RFC 8288 `Link` header for a page of a list."""
    response.headers["X-Total-Count"] = str(listed.total)
    links = []
    for rel, number in (("prev", listed.page - 1), ("next", listed.page + 1)):
        if 1 <= number and (rel == "prev" or listed.has_next):
            query = request.args.to_dict() | {"page": str(number), "per_page": str(listed.per_page)}
            links.append(f'<{request.base_url}?{urlencode(query)}>; rel="{rel}"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


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
    answer = instance_json(case)  # before the commit, which would expire the case and read it (and its workflow) again
    session().commit()
    return jsonify(answer)


@bp.post("/instances/<int:instance_id>/messages", endpoint="send_message")
@bp.post("/signals", endpoint="send_signal")
@token_required
def send_event(instance_id=None):
    """`{"name","data"}`: a BPMN message to one case, or a signal to every running case waiting for it that
    the caller may signal (who may send: services/messages.py). Answers with the cases it reached."""
    body, s = json_body(), session()
    if instance_id is None:
        reached = messages.broadcast_signal(s, engine(), body.get("name"), body.get("data"), g.api_user, now(), remote_addr())
    else:
        reached = [messages.deliver_message(s, engine(), instance_id, body.get("name"), body.get("data"), g.api_user, now(), remote_addr())]
    s.commit()
    return jsonify({"name": body["name"].strip(), "instances": [instance_json(c) for c in reached]})


@bp.get("/instances/<int:instance_id>")
@token_required
def get_instance(instance_id):
    case = cases.case_for(session(), instance_id, g.api_user, now(), remote_addr())
    audit_read(g.api_user, "case.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    return jsonify(instance_json(case))


@bp.post("/children/<int:child_id>/move")
@token_required
def move_child(child_id):
    """Civil affairs records the child's new residence: place-routed open tasks follow (services/moves.py)."""
    body = json_body()
    child = moves.child_to_move(session(), child_id, g.api_user)  # a registered child without a case too
    done = moves.record_move(session(), child, body.get("region"), g.api_user, now())
    session().commit()
    return jsonify({"child_id": child.id, "from": done.old_region, "region": done.new_region, "cases": done.cases,
                    "moved_tasks": done.moved_tasks, "kept_tasks": done.kept_tasks, "plans": done.plans,
                    "roster_tasks": done.roster_tasks})


# -- deadlines and recurring visits (additions) ---------------------------------------------
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
    listed = deadlines.overdue_page(session(), g.api_user, moment, department, region, page, per_page)
    return paged(jsonify({
        "as_of": moment.isoformat(),
        "groups": [{"department": x.department, "department_name": x.department_name, "region": x.office_region,
                    "office": x.office, "count": x.count, "oldest_due": x.oldest_due.isoformat()} for x in groups],
        "tasks": tasks_json(listed.items),
        "total": listed.total, "page": listed.page, "per_page": listed.per_page,
    }), listed)


@bp.get("/units")
@token_required
def list_units():
    """The active units serving a place (`?region=`, a region code: units whose area covers it),
    of a department (`?department=`): what a form's unit choice offers there."""
    department = request.args.get("department") or None
    region = request.args.get("region") or None
    errors = {}
    if department is not None and department not in DEPARTMENTS:
        errors["department"] = "不是已知部门"
    if region is not None and not (region.isascii() and region.isdigit() and len(region) == 12):
        errors["region"] = "必须是 12 位行政区划代码"
    if errors:
        raise Invalid(errors)
    found = units.serving(session(), [department] if department else None, region)
    return jsonify([{"id": u.id, "code": u.code, "name": u.name, "department": u.department_code,
                     "department_name": department_name(u.department_code), "region": u.region_code,
                     "serves": u.serve_prefixes} for u in found])


def notification_json(notice) -> dict:
    return {"id": notice.id, "kind": notice.kind, "message": notice.message, "task_id": notice.task_id,
            "instance_id": notice.case_id, "department": notice.department, "region": notice.office_region,
            "created_at": notice.created_at.isoformat(),
            "read_at": notice.read_at.isoformat() if notice.read_at else None}


@bp.get("/notifications")
@token_required
def list_notifications():
    """The caller's notices (and those for their whole office), newest first; `?unread=1` for unread only."""
    query = deadlines.notifications_query(g.api_user)
    if request.args.get("unread") == "1":
        query = query.where(Notification.read_at.is_(None))
    return jsonify([notification_json(n) for n in session().scalars(query.limit(200))])


@bp.post("/notifications/<int:notice_id>/read")
@token_required
def read_notification(notice_id):
    notice = deadlines.mark_read(session(), g.api_user, notice_id, now())
    session().commit()
    return jsonify(notification_json(notice))


@bp.get("/instances/<int:instance_id>/monitoring")
@token_required
def get_monitoring(instance_id):
    """The recurring-visit plans a case opened, each with its visits (one instance per cycle)."""
    case = cases.case_for(session(), instance_id, g.api_user, now(), remote_addr())
    audit_read(g.api_user, "monitoring.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    return jsonify([{
        "kind": p.kind, "title": p.title, "cadence": p.cadence, "lead": p.lead, "status": p.status,
        "carer": p.carer, "cycles": p.cycle, "next_due": p.next_due.isoformat() if p.status == "active" else None,
        "until": p.until.isoformat() if p.until else None, "closed_reason": p.closed_reason,
        "visits": [{"cycle": v.cycle, "due": v.due.isoformat(), "instance_id": v.case_id,
                    "status": v.case.status if v.case else None} for v in monitoring.visits_of(session(), p)],
    } for p in monitoring.plans_of_case(session(), case)])
