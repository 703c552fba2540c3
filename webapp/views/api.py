"""The JSON API under /api/v1 (DESIGN.md, fixed): bearer tokens, JSON in and out."""
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import csrf
from ..models import Case, HumanTask
from ..services import accounts, audit, cases, definitions
from ..services.errors import Invalid, ServiceError
from .common import engine, now, remote_addr, session

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
    messages = {400: "请求格式错误（需要 JSON）", 404: "资源不存在", 405: "不支持该请求方法"}
    return error(err.code or 500, messages.get(err.code, err.description))


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ServiceError("请求体必须是 JSON 对象")
    return body


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else ""
        user = accounts.user_from_token(session(), current_app.config["SECRET_KEY"], token,
                                        current_app.config["API_TOKEN_MAX_AGE"]) if token else None
        if user is None:
            return error(401, "未登录或令牌无效")
        g.api_user = user
        return view(*args, **kwargs)
    return wrapped


# -- shapes -------------------------------------------------------------------------------
def task_json(task: HumanTask) -> dict:
    return {
        "id": task.id, "name": task.name, "title": task.title, "process_id": task.process_id,
        "instance_id": task.case_id, "department": task.department, "region": task.office_region,
        "due": task.due.isoformat() if task.due else None,
        "claimed_by": task.claimed_by.username if task.claimed_by else None,
        "state": task.state,
    }


def instance_json(case: Case) -> dict:
    s = session()
    return {
        "id": case.id, "process_id": case.definition.process_id, "version": case.definition.version,
        "status": case.status, "region": case.region_code, "child_id": case.child_id,
        "end_event": case.end_event,
        "open_tasks": [task_json(t) for t in cases.open_tasks(s, case)],
        "history": [{
            "name": t.name, "title": t.title, "department": t.department,
            "user": t.completed_by.username if t.completed_by else None,
            "completed_at": t.completed_at.isoformat() if t.completed_at else None,
        } for t in cases.completed_tasks(s, case)],
    }


# -- calls --------------------------------------------------------------------------------
@bp.post("/auth/token")
def token():
    body = json_body()
    user = accounts.authenticate(session(), str(body.get("username", "")), str(body.get("password", "")))
    if user is None:
        return error(401, "用户名或密码错误")
    audit.record(session(), now(), user, "login", "api", None, remote_addr())
    session().commit()
    return jsonify({"token": accounts.issue_token(current_app.config["SECRET_KEY"], user)})


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
    from ..services import routing
    tasks = session().scalars(routing.visible_tasks(g.api_user).order_by(HumanTask.due.is_(None), HumanTask.due, HumanTask.id))
    return jsonify([task_json(t) for t in tasks])


@bp.get("/tasks/<int:task_id>")
@token_required
def get_task(task_id):
    task = cases.task_for_actor(session(), task_id, g.api_user, now(), remote_addr())
    d = task.case.definition
    return jsonify({**task_json(task), "form": definitions.form_of(d, task.form),
                    "data": cases.shown_data(g.api_user, task.case, cases.task_data(engine(), task)),
                    "why": cases.why_routed(session(), task)})


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
    task = cases.reassign(session(), task_id, g.api_user, body.get("user_id"), now(), remote_addr())
    session().commit()
    return jsonify(task_json(task))


@bp.post("/tasks/<int:task_id>/complete")
@token_required
def complete_task(task_id):
    body = json_body()
    case = cases.complete_task(session(), engine(), task_id, body.get("data"), g.api_user, now(), remote_addr())
    session().commit()
    return jsonify(instance_json(case))


@bp.get("/instances/<int:instance_id>")
@token_required
def get_instance(instance_id):
    return jsonify(instance_json(cases.case_for(session(), instance_id, g.api_user, now(), remote_addr())))
