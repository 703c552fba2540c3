"""The officials' task list and task page: list, open, claim, release, reassign, complete."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import HumanTask
from ..services import cases, definitions, forms, school_checks, tasklists
from ..services.errors import DesignError, Forbidden, Invalid, NotFound, ServiceError
from .common import audit_read, back, engine, form_action, now, record_design_error, remote_addr, require_login, session
from .deadlines import counts_with_navigation
from .errors import service_error_page
from .params import web_page, whole_number
from .form_display import audit_reporter_read, form_values, history, opening

bp = Blueprint("tasks", __name__)
bp.before_request(require_login)


# -- the task list -----------------------------------------------------------------------
ROW_MARK = 987654321


@bp.app_template_global()
def task_url(endpoint: str):
    """`endpoint`'s URL for any task id, built once per page: a list's 50–200 rows each link to their
    task, and werkzeug's URL building per row cost the list page as much as its queries."""
    head, tail = url_for(endpoint, task_id=ROW_MARK).split(str(ROW_MARK), 1)
    return lambda task_id: f"{head}{int(task_id)}{tail}"


@bp.get("/")
def index():
    s = session()
    process = request.args.get("process", "")
    show = request.args.get("show", "all")
    show = show if show in tasklists.SHOWS else "all"
    overdue = request.args.get("overdue") == "1"
    sort = request.args.get("sort", "due")
    sort = sort if sort in tasklists.SORTS else "due"
    page, per_page = web_page()
    term = "long" if request.args.get("term") == "long" else "daily"
    moment = now()
    filters = {"process": process or None, "show": show, "overdue_at": moment if overdue else None, "as_of": moment}
    counts = counts_with_navigation(s, daily=tasklists.count_query(current_user, **filters, term="daily"),
                                    long=tasklists.count_query(current_user, **filters, term="long"),
                                    names_stamp=definitions.NAMES_STAMP)
    listed = tasklists.task_list(s, current_user, **filters, sort=sort, page=page, per_page=per_page, term=term,
                                 columns=tasklists.ROW_COLUMNS, total=counts[term])
    tasks = listed.items
    procedures = definitions.latest_names(s, counts["names_stamp"])
    args = {"process": process or None, "show": show if show != "all" else None, "overdue": "1" if overdue else None,
            "sort": sort, "per_page": per_page if per_page != tasklists.PER_PAGE else None,
            "term": "long" if term == "long" else None}
    return render_template("tasks/index.html", tasks=tasks, listed=listed, args=args, procedures=procedures, process=process, show=show, overdue=overdue, sort=sort,
                           term=term, counts=counts, school=school_checks.school_counts(s, current_user, now()))


# -- one task ------------------------------------------------------------------------------
def _render_task(task: HumanTask, values: dict | None = None, errors: dict | None = None, status: int = 200):
    """The task page (also re-drawn after a refused submission, with the case's history: a read too)."""
    s = session()
    case = task.case
    audit_read(current_user, "task.read", f"task:{task.id}", child_id=case.child_id, case=case,
               case_id=case.id, name=task.name)
    schema = cases.task_form(s, task)
    shown = (cases.shown_data(current_user, case, cases.task_data(engine(), task))
             if task.state == "open" and values is None else {})
    if values is None:
        values = form_values(schema, shown)
    start = cases.shown_data(current_user, case, cases.start_data(engine(), case))
    audit_reporter_read(current_user, case, start, shown)
    assignees = cases.assignable_users(s, task, current_user) if current_user.is_supervisor and task.state == "open" else []
    return render_template(
        "tasks/detail.html", task=task, case=case, schema=schema, values=values, errors=errors or {},
        why=cases.why_routed(s, task), office=cases.task_office(s, task),
        opening=opening(case, start), steps=history(case), assignees=assignees,
        can_view_case=cases.can_view_case(s, current_user, case),
        can_identify=cases.may_complete_identity(s, current_user, case),
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
        schema = cases.task_form(s, task)
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
        if isinstance(err, DesignError):
            record_design_error(err, current_user)
        flash(err.message, "error")
        return _render_task(cases.get_task(s, task_id), request.form.to_dict(), None, err.status)
    flash(_("Done: “%(title)s” is completed.", title=task.title), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _task_action(task_id, action, done_message):
    return form_action(action, lambda: back(url_for("tasks.detail", task_id=task_id)), done_message)


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
    user_id = whole_number(raw)
    if user_id is None:
        abort(400)
    return _task_action(task_id, lambda: cases.reassign(session(), task_id, current_user, user_id, now(), remote_addr()),
                        _("The task is reassigned."))
