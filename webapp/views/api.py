"""The JSON API under /api/v1 (DESIGN.md, fixed): bearer tokens, JSON in and out.

Here: the blueprint, its error answers, the token check, body parsing, the shapes of tasks and
cases, paging, and signing in and out. The calls hang off this blueprint by resource:
`api_tasks.py`, `api_instances.py`, `api_processes.py`, `api_registry.py`."""
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

import orjson
from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import csrf, jsonlimits, openapi
from ..models import Case, HumanTask
from ..security import login_policy, security_now
from ..services import audit, cases, sessions, tasklists
from ..services import login as logins
from ..services.errors import DesignError, Invalid, ServiceError
from .common import now, record_design_error, remote_addr, session
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
    if isinstance(err, DesignError):
        record_design_error(err, g.get("api_user"))
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


def task_json(task, office: str | None = None) -> dict:
    """A task item, of a HumanTask or a list row (`tasklists.API_COLUMNS`); `office`, when the caller
    named it with a whole list's (`tasks_json`), spares asking for it."""
    return {
        "id": task.id, "name": task.name, "title": task.title, "process_id": task.process_id,
        "instance_id": task.case_id, "department": task.department, "region": task.office_region,
        "due": task.due.isoformat() if task.due else None,
        "claimed_by": task.holder_username,
        "state": task.state,
        "overdue": bool(task.state == "open" and task.due is not None and task.due < now()),
        "escalated_at": task.escalated_at.isoformat() if task.escalated_at else None,
        "office": office if office is not None else cases.task_office(session(), task),
    }


def tasks_json(tasks) -> list[dict]:
    """Task items of HumanTasks (their offices named in a few queries for all) or of list rows (named
    in their own statement, `tasklists.API_COLUMNS`)."""
    tasks = list(tasks)
    if tasks and not isinstance(tasks[0], HumanTask):
        return [task_json(row, tasklists.office_of(row)) for row in tasks]
    offices = cases.task_offices(session(), tasks)
    return [task_json(t, offices[t.id]) for t in tasks]


def instance_json(case: Case) -> dict:
    s = session()
    return {
        "id": case.id, "process_id": case.definition.process_id, "version": case.definition.version,
        "status": case.status, "region": case.region_code, "child_id": case.child_id,
        "end_event": case.end_event, "waiting": [{k: w[k] for k in ("kind", "name", "title")} for w in case.waiting_for or []],
        "open_tasks": tasks_json(tasklists.open_rows(s, case.id)),
        "history": orjson.Fragment(cases.history_json(s, case)),  # JSON the database wrote
    }


def json_answer(answer, status: int = 200):
    """A response of `answer` holding `instance_json`s: encoded by orjson, which takes their histories'
    JSON as the database wrote it (`jsonify` would need it parsed and encoded again)."""
    return current_app.response_class(orjson.dumps(answer), status=status, mimetype="application/json")


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


# -- calls --------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API (public: it describes calls, it holds no data)."""
    return jsonify(openapi.document(current_app.url_map))


@bp.post("/auth/token")
def token():
    body = json_body()
    s = session()
    outcome = logins.attempt(s, login_policy(), str(body.get("username", "")),
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
