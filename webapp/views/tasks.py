"""The officials' task list and task page; also what every web page shares.

The shared part (login guard, error pages, date filters, form helpers) lives here because
this blueprint owns the home page; `cases` and `admin` import it.
"""
from datetime import datetime
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import format_datetime, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .. import login_manager
from ..models import Case, HumanTask
from ..services import cases, definitions, forms, organisation, tasklists
from ..services.errors import Forbidden, Invalid, NotFound, ServiceError
from .common import audit_read, engine, now, remote_addr, session
from .limits import ID_MAX

bp = Blueprint("tasks", __name__)


# -- shared by every web page --------------------------------------------------------------
def require_login():
    """`before_request` of the web blueprints: everything but /login needs a session."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()


bp.before_request(require_login)


# The two all-digit patterns lists use, formatted without Babel's per-call pattern machinery
# (a 50-row page formats 100 dates); same result: the user's time zone, same digits.
_FAST = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "yyyy-MM-dd": "%Y-%m-%d"}


@bp.app_template_filter("dt")
def _format_dt(value, pattern="yyyy-MM-dd HH:mm"):
    if not value:
        return ""
    if pattern in _FAST and isinstance(value, datetime):
        return to_user_timezone(value).strftime(_FAST[pattern])
    return format_datetime(value, pattern)


@bp.app_template_filter("d")
def _format_d(value):
    return _format_dt(value, "yyyy-MM-dd")


@bp.app_context_processor
def _page_globals():
    return {"now": now()}


def _error_title(status: int) -> str:
    return {400: _("Bad request"), 403: _("Access denied"), 404: _("Page not found"),
            405: _("Method not allowed"), 409: _("Conflict"), 413: _("Request too large"), 422: _("Invalid input"),
            500: _("Something went wrong")}.get(status, _("Error"))


def error_page(status: int, message: str | None = None):
    """The Chinese error page; the API keeps its JSON answers."""
    if request.path.startswith("/api/"):
        return jsonify({"error": message or str(status)}), status
    return render_template("error.html", status=status, title=_error_title(status), message=message), status


@bp.app_errorhandler(CSRFError)
def _csrf_error(err):
    return error_page(400, _("The form has expired or lacks its security token. Go back, reload the page and try again."))


@bp.app_errorhandler(HTTPException)
def _http_error(err: HTTPException):
    """Every HTTP error, and (as 500) every unhandled exception, as a Chinese page."""
    if (err.code or 500) >= 500:
        session().rollback()
    messages = {400: _("The request was malformed."), 403: _("You may not see this page."),
                404: _("There is no such page."), 405: _("This page does not accept that request."),
                413: _("What you sent is larger than the server accepts (at most %(kib)s KiB).",
                       kib=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024),
                500: _("An unexpected error occurred. Nothing was saved; please try again.")}
    return error_page(err.code or 500, messages.get(err.code, err.description))


def service_error_page(err: ServiceError):
    session().rollback()
    return error_page(err.status, err.message)


def back(default: str):
    """Where a small POST form asked to return (a local path only)."""
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return redirect(default)
    return redirect(target)


def form_values(schema: dict, data: dict) -> dict[str, str]:
    """Browser values (by dotted path) of a form's fields, taken from typed data."""
    values = {}
    for path, _prop in forms.field_paths(schema):
        value = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, bool):
            values[path] = "true" if value else "false"
        elif value is not None:
            values[path] = str(value)
    return values


def describe(schema: dict, data: dict | None) -> list[tuple[str, str]]:
    """What a step recorded, as (field title, readable value), in the form's order."""
    rows = []
    data = data or {}
    for path, prop in forms.field_paths(schema):
        value, parent, titles = data, schema, []
        for part in path.split("."):
            parent_prop = parent.get("properties", {}).get(part, {})
            titles.append(parent_prop.get("title", part))
            parent = parent_prop
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or value == "":
            continue
        if "enum" in prop and "x-enum-titles" in prop and value in prop["enum"]:
            text = prop["x-enum-titles"][prop["enum"].index(value)]
        elif isinstance(value, bool):
            labels = prop.get("x-labels") or [_("Yes"), _("No")]
            text = labels[0] if value else labels[1]
        else:
            text = str(value)
        rows.append((" · ".join(titles), text))
    known = {p.split(".")[0] for p, _prop in forms.field_paths(schema)}
    for key, value in data.items():  # fields the form no longer names (older versions)
        if key not in known and not isinstance(value, (dict, list)):
            rows.append((key, str(value)))
    return rows


def history(case: Case) -> list[dict]:
    """The completed steps of a case with who, which office, when and what they recorded."""
    s = session()
    return [{
        "task": t,
        "office": cases.office_label(s, t.department, t.office_region),
        "rows": describe(definitions.form_of(case.definition, t.form), cases.shown_data(current_user, case, t.data or {})),
    } for t in cases.completed_tasks(s, case)]


# -- the task list -----------------------------------------------------------------------
@bp.get("/")
def index():
    s = session()
    process = request.args.get("process", "")
    show = request.args.get("show", "all")
    show = show if show in tasklists.SHOWS else "all"
    overdue = request.args.get("overdue") == "1"
    sort = request.args.get("sort", "due")
    sort = sort if sort in tasklists.SORTS else "due"
    try:
        page, per_page = tasklists.page_params(request.args.get("page"), request.args.get("per_page"))
    except Invalid:
        flash(_("The page number must be a positive whole number; showing the first page."), "error")
        page, per_page = 1, tasklists.PER_PAGE
    listed = tasklists.task_list(s, current_user, process=process or None, show=show,
                                 overdue_at=now() if overdue else None, sort=sort, page=page, per_page=per_page)
    tasks = listed.items
    places = organisation.region_names(s, {t.office_region for t in tasks} | {t.case_region for t in tasks})
    procedures = [(d.process_id, d.name) for d in definitions.latest_all(s)]
    args = {"process": process or None, "show": show if show != "all" else None, "overdue": "1" if overdue else None,
            "sort": sort, "per_page": per_page if per_page != tasklists.PER_PAGE else None}
    return render_template("tasks/index.html", tasks=tasks, listed=listed, args=args, places=places,
                           procedures=procedures, process=process, show=show, overdue=overdue, sort=sort)


# -- one task ------------------------------------------------------------------------------
def _render_task(task: HumanTask, values: dict | None = None, errors: dict | None = None, status: int = 200):
    """The task page (also re-drawn after a refused submission, with the case's history: a read too)."""
    s = session()
    case = task.case
    audit_read(current_user, "task.read", f"task:{task.id}", child_id=case.child_id, case=case,
               case_id=case.id, name=task.name)
    schema = definitions.form_of(case.definition, task.form)
    if values is None:
        values = (form_values(schema, cases.shown_data(current_user, case, cases.task_data(engine(), task)))
                  if task.state == "open" else {})
    assignees = cases.assignable_users(s, task) if current_user.is_supervisor and task.state == "open" else []
    return render_template(
        "tasks/detail.html", task=task, case=case, schema=schema, values=values, errors=errors or {},
        why=cases.why_routed(s, task), office=cases.office_label(s, task.department, task.office_region),
        steps=history(case), assignees=assignees,
        can_view_case=cases.can_view_case(s, current_user, case),
    ), status


@bp.get("/tasks/<int:task_id>")
def detail(task_id):
    try:
        task = cases.task_for_actor(session(), task_id, current_user, now(), remote_addr())
    except ServiceError as err:
        return service_error_page(err)
    return _render_task(task)


@bp.post("/tasks/<int:task_id>")
def complete(task_id):
    s = session()
    try:
        task = cases.task_for_actor(s, task_id, current_user)
        schema = definitions.form_of(task.case.definition, task.form)
        data = forms.from_browser(schema, request.form)
        case = cases.complete_task(s, engine(), task_id, data, current_user, now(), remote_addr())
        s.commit()
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    except Invalid as err:
        s.rollback()
        flash(err.message, "error")
        return _render_task(cases.get_task(s, task_id), request.form.to_dict(), err.errors, 422)
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
        return _render_task(cases.get_task(s, task_id), request.form.to_dict(), None, err.status)
    flash(_("Done: “%(title)s” is completed.", title=task.title), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _task_action(task_id, action, done_message):
    s = session()
    try:
        action()
        s.commit()
        flash(done_message, "success")
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    except Invalid as err:
        s.rollback()
        flash("；".join(err.errors.values()), "error")
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
    return back(url_for("tasks.detail", task_id=task_id))


@bp.post("/tasks/<int:task_id>/claim")
def claim(task_id):
    return _task_action(task_id, lambda: cases.claim(session(), task_id, current_user, now(), remote_addr()),
                        _("You now hold this task."))


@bp.post("/tasks/<int:task_id>/release")
def release(task_id):
    return _task_action(task_id, lambda: cases.release(session(), task_id, current_user, now(), remote_addr()),
                        _("The task is released."))


@bp.post("/tasks/<int:task_id>/reassign")
def reassign(task_id):
    raw = request.form.get("user_id", "")
    user_id = int(raw) if raw.isdigit() and len(raw) <= 19 else None
    if user_id is None or user_id > ID_MAX:
        abort(400)
    return _task_action(task_id, lambda: cases.reassign(session(), task_id, current_user, user_id, now(), remote_addr()),
                        _("The task is reassigned."))
