"""Repair for administrators: failing cases with a retry button, and cancelling a case with a reason."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services import cases, monitoring, repair
from ..services.errors import Invalid, ServiceError
from .common import admins_only, audit_read, engine, now, remote_addr, session
from .errors import service_error_page
from .params import whole_number

bp = Blueprint("repair", __name__, url_prefix="/admin/cases")
bp.before_request(admins_only)


@bp.get("/")
def failing():
    """The cases in error, each with its reason and a retry button; a case number opens any case."""
    raw = request.args.get("case", "").strip()
    if raw:
        if whole_number(raw) is not None:
            return redirect(url_for("repair.case", case_id=int(raw)))
        flash(_("A case number is digits only."), "error")
    return render_template("admin/failing_cases.html", cases=repair.failing_cases(session()))


def _render_case(case_id: int, values: dict | None = None, errors: dict | None = None, status: int = 200):
    s = session()
    try:
        case = repair.get_case(s, case_id)
    except ServiceError as err:
        return service_error_page(err)
    # An administrator reads the child's name and the case's facts here: a read like any other
    # (a psychological case's under its stricter action).
    audit_read(current_user, cases.private_read_action(case) if cases.is_private(case) else "case.read", f"case:{case.id}",
               child_id=case.child_id, case_id=case.id, page="admin")
    visit = repair.visit_of(s, case)
    return render_template("admin/case.html", case=case, open_tasks=cases.open_tasks(s, case), visit=visit,
                           plans=monitoring.plans_of_case(s, case), values=values or {}, errors=errors or {}), status


@bp.get("/<int:case_id>")
def case(case_id):
    return _render_case(case_id)


@bp.post("/<int:case_id>/retry")
def retry(case_id):
    s = session()
    try:
        _case, failure = repair.retry(s, engine(), case_id, current_user, now(), remote_addr())
        s.commit()
    except ServiceError as err:
        return service_error_page(err)
    if failure:
        flash(_("The case failed again: %(reason)s", reason=failure), "error")
    else:
        flash(_("Case no. %(id)s runs again.", id=case_id), "success")
    return redirect(request.form.get("next") == "list" and url_for("repair.failing")
                    or url_for("repair.case", case_id=case_id))


@bp.post("/<int:case_id>/cancel")
def cancel(case_id):
    s = session()
    try:
        repair.cancel(s, case_id, current_user, request.form.get("reason"), now(), remote_addr())
        s.commit()
    except Invalid as err:
        s.rollback()
        flash(err.message, "error")
        return _render_case(case_id, request.form.to_dict(), err.errors, 422)
    except ServiceError as err:
        return service_error_page(err)
    flash(_("Case no. %(id)s is cancelled.", id=case_id), "success")
    return redirect(url_for("repair.case", case_id=case_id))
