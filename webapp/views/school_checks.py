"""The school's yearly mental-health checks in the web UI and the JSON API: the school's list of
its pupils' checks, the record form; the county education bureau reads the list (not what was
observed: psychological data stays with the school and, on a concern, the referral)."""
from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from .. import csrf
from ..engine.clock import local_date
from ..models import SchoolCheck
from ..services import school_checks, tasklists
from ..services.errors import Forbidden, Invalid, NotFound, ServiceError
from ..services.school_checks.recording import METHODS, RESULTS, SIGNS
from . import api
from .common import audit_read, engine, now, remote_addr, require_login, session
from .errors import service_error_page

bp = Blueprint("school_checks", __name__)
bp.before_request(require_login)
api_bp = Blueprint("school_checks_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)
api_bp.register_error_handler(ServiceError, api._service_error)
api_bp.register_error_handler(HTTPException, api._http_error)
FIELDS = ("checked_on", "method", "result", "observation")


def _list(user, args):
    page, per_page = tasklists.page_params(args.get("page"), args.get("per_page"))
    return school_checks.checks_page(session(), user, now(), state=args.get("state") or "open",
                                     overdue=args.get("overdue") == "1", page=page, per_page=per_page)


@bp.get("/school-checks")
def index():
    try:
        listed = _list(current_user, request.args)
    except Forbidden as err:
        return service_error_page(err)
    except Invalid as err:
        flash(err.message + "：" + "；".join(err.errors.values()), "error")
        return redirect(url_for("school_checks.index"))
    args = {k: v for k in ("state", "overdue") if (v := request.args.get(k))}
    return render_template("school_checks/index.html", listed=listed, args=args, now=now(),
                           state=args.get("state", "open"))


def _render(check, values=None, errors=None, status=200):
    may_record = school_checks.may_record(current_user, check)
    if may_record and check.findings:
        audit_read(current_user, "psych.read", f"school_check:{check.id}", child_id=check.child_id)
    return render_template("school_checks/record.html", check=check, may_record=may_record, now=now(),
                           values=values or {}, errors=errors or {}, form=school_checks.RECORD_FORM["properties"],
                           methods=METHODS, results=RESULTS, signs=SIGNS), status


def findings_from(form) -> dict:
    """The record from the browser's fields; blanks left out, the signs from their checkboxes."""
    data = {name: form.get(name, "").strip() for name in FIELDS}
    data = {k: v for k, v in data.items() if v}
    signs = [v for v in form.getlist("signs") if v]
    if signs:
        data["signs"] = signs
    return data


@bp.get("/school-checks/<int:check_id>")
def detail(check_id):
    try:
        check = school_checks.check_for(session(), check_id, current_user)
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    return _render(check, {"checked_on": local_date(now()).isoformat()} if check.state == "open" else None)


@bp.post("/school-checks/<int:check_id>")
def record(check_id):
    s = session()
    try:
        check = school_checks.record(s, engine(), check_id, findings_from(request.form), current_user, now(),
                                     remote_addr())
        s.commit()
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
        values = {**request.form.to_dict(), "signs": request.form.getlist("signs")}
        return _render(school_checks.check_for(s, check_id, current_user), values, getattr(err, "errors", None),
                       422 if isinstance(err, Invalid) else err.status)
    flash(_("Recorded: the yearly mental-health check of %(child)s.", child=check.child.name), "success")
    if check.started_case_id:
        flash(_("The concern started a psychological referral for the child (case no. %(id)s).",
                id=check.started_case_id), "success")
    return redirect(url_for("school_checks.index"))


# -- the JSON API ---------------------------------------------------------------------------
def check_json(check: SchoolCheck, moment, with_findings: bool = False) -> dict:
    child = check.child
    shown = {"findings": check.findings} if with_findings else {}
    return {"id": check.id, "school_year": check.school_year, "school_unit": check.unit_id,
            "starts_on": check.starts_on.isoformat(), "due": check.due.isoformat(), "state": check.state,
            "overdue": check.state == "open" and check.due < moment,
            "child": {"id": child.id, "name": child.name, "region": child.region_code},
            "completed_at": check.completed_at.isoformat() if check.completed_at else None,
            "started_instance_id": check.started_case_id, **shown}


@api_bp.get("/school-checks")
@api.token_required
def list_checks():
    """The caller's school's checks (or an education office's schools'), soonest due first."""
    listed = _list(g.api_user, request.args)
    moment = now()
    response = api.paged(jsonify([check_json(c, moment) for c in listed.items]), listed)
    if listed.capped:
        response.headers["X-Total-Count-Capped"] = "true"
    return response


@api_bp.get("/school-checks/<int:check_id>")
@api.token_required
def get_check(check_id):
    check = school_checks.check_for(session(), check_id, g.api_user)
    may_record = school_checks.may_record(g.api_user, check)
    if may_record and check.findings:
        audit_read(g.api_user, "psych.read", f"school_check:{check.id}", child_id=check.child_id)
    return jsonify({**check_json(check, now()), "findings": check.findings if may_record else None,  # as documented
                    "form": school_checks.RECORD_FORM, "may_record": may_record})


@api_bp.post("/school-checks/<int:check_id>/complete")
@api.token_required
def complete_check(check_id):
    """Record the check; a `concern` starts psych_referral for the child (`started_instance_id`)."""
    body = api.json_body()
    data = body.get("data")
    if not isinstance(data, dict):
        raise Invalid({"data": "必须是一个对象（所填写的内容）"})
    check = school_checks.record(session(), engine(), check_id, data, g.api_user, now(), remote_addr())
    session().commit()
    return jsonify(check_json(check, now(), with_findings=True))
