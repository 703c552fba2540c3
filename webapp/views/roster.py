"""The roster in the web UI: the child director's 走访名册 (phone-friendly), the record form, the file checks."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..engine.clock import local_date
from ..services import organisation, roster, tasklists
from ..services.errors import Forbidden, Invalid, NotFound, ServiceError
from .common import audit_read, engine, now, remote_addr, require_login, session
from .errors import service_error_page

bp = Blueprint("roster", __name__)
bp.before_request(require_login)

LIST_ARGS = ("state", "period", "kind", "overdue")


@bp.get("/roster")
def index():
    s = session()
    args = {k: request.args.get(k) or None for k in LIST_ARGS}
    args["state"] = args["state"] or "open"
    moment = now()
    try:
        page, per_page = tasklists.page_params(request.args.get("page"), request.args.get("per_page"))
        scope = roster.scope(current_user)
        listed = roster.roster_page(s, current_user, moment, state=args["state"], period=args["period"],
                                    overdue=args["overdue"] == "1", kind=args["kind"], page=page, per_page=per_page)
    except Forbidden as err:
        return service_error_page(err)
    except Invalid as err:
        flash(err.message + "：" + "；".join(err.errors.values()), "error")
        return redirect(url_for("roster.index"))
    counts = roster.counts(s, current_user, moment) if scope == "village" else None
    places = organisation.region_names(s, {t.office_region for t in listed.items})
    return render_template("roster/index.html", listed=listed, args={k: v for k, v in args.items() if v},
                           counts=counts, scope=scope, places=places, now=moment, grades=roster.GRADE_TITLES,
                           categories=roster.CATEGORY_TITLES, cadences=roster.cadence_table(engine().settings),
                           title_of=roster.title_of)


def _render(task, values=None, errors=None, status=200):
    return render_template("roster/record.html", task=task, title=roster.title_of(task), values=values or {},
                           errors=errors or {}, may_record=roster.may_record(current_user, task), now=now(),
                           form=roster.RECORD_FORM["properties"], required=roster.RECORD_FORM["required"],
                           choices={"method": roster.METHODS, "safety_at_home": roster.SAFETY,
                                    "school_attendance": roster.SCHOOL, "guardian_care": roster.CARE},
                           signs=roster.SIGNS, follow_ups=roster.FOLLOW_UPS, grades=roster.GRADE_TITLES,
                           categories=roster.CATEGORY_TITLES), status


@bp.get("/roster/<int:task_id>")
def detail(task_id):
    s = session()
    try:
        task = roster.task_for(s, task_id, current_user)
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    audit_read(current_user, "roster.read", f"roster:{task.id}", child_id=task.child_id)
    return _render(task, {"contacted_on": local_date(now()).isoformat()} if task.state == "open" else None)


def findings_from(form) -> dict:
    """The record from the browser's fields; blanks left out, the lists from their checkboxes."""
    data = {name: form.get(name, "").strip() for name in
            ("contacted_on", "method", "safety_at_home", "school_attendance", "guardian_care", "notes", "risk_grade",
             "reporter_phone")}
    data = {k: v for k, v in data.items() if v}
    for name in ("signs", "follow_up"):
        chosen = [v for v in form.getlist(name) if v]
        if chosen:
            data[name] = chosen
    return data


@bp.post("/roster/<int:task_id>")
def record(task_id):
    s = session()
    data = findings_from(request.form)
    try:
        task = roster.complete(s, engine(), task_id, data, current_user, now(), remote_addr())
        s.commit()
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
        values = {**request.form.to_dict(), "signs": request.form.getlist("signs"),
                  "follow_up": request.form.getlist("follow_up")}
        return _render(roster.task_for(s, task_id, current_user), values,
                       getattr(err, "errors", None), 422 if isinstance(err, Invalid) else err.status)
    flash(_("Recorded: %(title)s of %(child)s.", title=roster.title_of(task), child=task.child.name), "success")
    if task.started_case_id:
        flash(_("The finding started a procedure for the child (case no. %(id)s).", id=task.started_case_id), "success")
    return redirect(url_for("roster.index"))


@bp.get("/roster/checks")
def checks():
    s = session()
    state = request.args.get("state", "open")
    try:
        found = s.scalars(roster.checks_query(current_user, None if state == "all" else state).limit(200)).all()
    except Forbidden as err:
        return service_error_page(err)
    places = organisation.region_names(s, {c.township_code for c in found} | {c.county_code for c in found})
    return render_template("roster/checks.html", checks=found, places=places, state=state, now=now())


@bp.route("/roster/checks/<int:check_id>", methods=["GET", "POST"])
def check(check_id):
    s = session()
    errors, values, status = {}, {}, 200
    try:
        found = roster.check_for(s, check_id, current_user)
        if request.method == "POST":
            values = {k: v.strip() for k, v in request.form.items() if k in ("summary", "rectify_by") and v.strip()}
            try:
                roster.complete_check(s, check_id, values, current_user, now())
                s.commit()
                flash(_("The findings are recorded and sent to the township."), "success")
                return redirect(url_for("roster.checks"))
            except (Invalid, ServiceError) as err:
                if isinstance(err, (Forbidden, NotFound)):
                    raise
                s.rollback()
                flash(err.message, "error")
                errors, status = getattr(err, "errors", {}) or {}, 422 if isinstance(err, Invalid) else err.status
                found = roster.check_for(s, check_id, current_user)
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    villages = organisation.region_names(s, {i["village"] for i in found.items if "village" in i}
                                         | {found.township_code, found.county_code})
    return render_template("roster/check.html", check=found, places=villages, values=values, errors=errors,
                           may_complete=current_user.office.department_code == "civil_affairs"), status
