"""Administration: accounts, offices, units and the audit log (role admin only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalog import DEPARTMENTS
from ..models import User
from ..models.org import ROLES
from ..security import security_now
from ..services import audit, login as logins, organisation, unit_import, units
from ..services.errors import Invalid, NotFound, ServiceError
from .common import now, remote_addr, session
from .common import admins_only
from . import audit_words
from .errors import service_error_page
from . import params

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _role_names() -> dict[str, str]:
    return {"official": _("Official"), "supervisor": _("Supervisor"), "admin": _("Administrator"),
            "designer": _("Process designer"), "tester": _("Policy tester")}


bp.before_request(admins_only)


def _departments():
    return [(code, name) for code, (name, _levels) in DEPARTMENTS.items() if code != "guardian"]


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


@bp.route("/users", methods=["GET", "POST"])
def users():
    s = session()
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.form
        try:
            user = organisation.create_user(s, form.get("username", ""), form.get("display_name", ""),
                                            form.get("password", ""), form.get("role", ""), form.get("office_id"), now())
            audit.record(s, now(), current_user, "admin.user.create", f"user:{user.username}",
                         {"role": user.role, "office": user.office.name if user.office else None}, remote_addr())
            s.commit()
        except Invalid as err:
            s.rollback()
            flash(err.message, "error")
            values = {k: v for k, v in form.items() if k != "password"}
            errors, status = err.errors, 422
        else:
            flash(_("Account %(username)s is created.", username=user.username), "success")
            return redirect(url_for("admin.users"))
    role_names = _role_names()
    return render_template("admin/users.html", users=organisation.users(s), offices=organisation.offices(s),
                           roles=[(r, role_names[r]) for r in ROLES], role_names=role_names,
                           locked=logins.locked_names(s, security_now()), values=values, errors=errors), status


@bp.post("/users/<int:user_id>/active")
def set_active(user_id):
    s = session()
    active = request.form.get("active") == "1"
    if user_id == current_user.id and not active:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    try:
        user = organisation.set_active(s, user_id, active, security_now())
        audit.record(s, now(), current_user, "admin.user.activate" if active else "admin.user.deactivate",
                     f"user:{user.username}", None, remote_addr())
        s.commit()
    except ServiceError as err:
        return service_error_page(err)
    flash(_("Account %(username)s is active again.", username=user.username) if active
          else _("Account %(username)s is deactivated.", username=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/unlock")
def unlock(user_id):
    """Lift the lock that failed logins put on an account (and forget its failures)."""
    s = session()
    user = s.get(User, user_id)
    if user is None:
        return service_error_page(NotFound("用户不存在"))
    if logins.unlock(s, user.username, security_now()):
        audit.record(s, now(), current_user, "admin.user.unlock", f"user:{user.username}", None, remote_addr())
        flash(_("Account %(username)s is unlocked.", username=user.username), "success")
    else:
        flash(_("Account %(username)s was not locked.", username=user.username), "info")
    s.commit()
    return redirect(url_for("admin.users"))


@bp.route("/offices", methods=["GET", "POST"])
def offices():
    s = session()
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        try:
            office = organisation.create_office(s, request.form.get("department", ""), request.form.get("region", ""))
            audit.record(s, now(), current_user, "admin.office.create", f"office:{office.id}",
                         {"name": office.name}, remote_addr())
            s.commit()
        except Invalid as err:
            s.rollback()
            flash(err.message, "error")
            values, errors, status = request.form.to_dict(), err.errors, 422
        else:
            flash(_("Office %(name)s is created.", name=office.name), "success")
            return redirect(url_for("admin.offices"))
    return render_template("admin/offices.html", offices=organisation.offices(s), regions=organisation.regions(s),
                           departments=_departments(), values=values, errors=errors), status


@bp.get("/audit")
def audit_log():
    """The audit log, newest first, filtered by child, user, action (or every read) and days; paginated."""
    s = session()
    args = request.args
    filters, problems = {}, []
    child_ref = args.get("child", "").strip()
    if child_ref:
        child = audit.child_by_reference(s, child_ref)
        if child is None:
            problems.append(_("No child has the file number or ID number %(ref)s.", ref=child_ref))
        filters["child_id"] = child.id if child else -1
    for name in ("since", "until"):
        raw = args.get(name, "").strip()
        if raw:
            filters[name] = params.day(raw)
            if filters[name] is None:
                del filters[name]
                problems.append(_("%(value)s is not a date (YYYY-MM-DD).", value=raw))
    page = params.whole_number(args.get("page", "1"), most=10**9)
    if page is None:
        problems.append(_("The page number must be a positive whole number; showing the first page."))
    result = audit.search(s, username=args.get("user", "").strip() or None, action=args.get("action") or None,
                          page=page or 1, **filters)
    for problem in problems:
        flash(problem, "error")
    office_names = {o.id: o.name for o in organisation.offices(s)}
    people = {u.id: u.display_name for u in organisation.users(s)}
    query = {k: v for k, v in args.items() if k != "page" and v}
    return render_template("admin/audit.html", result=result, entries=result.entries, office_names=office_names,
                           people=people, sentences=audit_words.sentences(s, result.entries),
                           verbs=audit_words.verbs(), actions=audit.actions(s), reads=audit.READS, query=query)


# -- units (schools, hospitals, institutions) -------------------------------------------------
UNIT_FIELDS = ("code", "name", "department", "region", "serves")


def _render_units(values=None, errors=None, status=200, import_errors=None):
    s = session()
    return render_template("admin/units.html", units=units.all_units(s), regions=organisation.regions(s),
                           departments=_departments(), values=values or {}, errors=errors or {},
                           import_errors=import_errors or {}), status


@bp.route("/units", methods=["GET", "POST"])
def units_page():
    if request.method == "GET":
        return _render_units()
    s = session()
    values = {k: request.form.get(k, "") for k in UNIT_FIELDS}
    try:
        unit = units.create(s, values)
        audit.record(s, now(), current_user, "admin.unit.create", f"unit:{unit.id}", {"name": unit.name}, remote_addr())
        s.commit()
    except Invalid as err:
        s.rollback()
        flash(err.message, "error")
        return _render_units(values, err.errors, 422)
    flash(_("Unit %(name)s is created.", name=unit.name), "success")
    return redirect(url_for("admin.units_page"))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_page(unit_id):
    s = session()
    try:
        unit = units.get(s, unit_id)
    except NotFound as err:
        return service_error_page(err)
    values = {"code": unit.code, "name": unit.name, "department": unit.department_code,
              "region": unit.region_code, "serves": unit.serves}
    errors, status = {}, 200
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in UNIT_FIELDS}
        try:
            units.update(s, unit_id, values)
            audit.record(s, now(), current_user, "admin.unit.update", f"unit:{unit_id}", {"name": values["name"]},
                         remote_addr())
            s.commit()
        except Invalid as err:
            s.rollback()
            flash(err.message, "error")
            errors, status = err.errors, 422
        else:
            flash(_("Unit %(name)s is saved.", name=values["name"].strip()), "success")
            return redirect(url_for("admin.units_page"))
    return render_template("admin/unit.html", unit=units.get(s, unit_id), regions=organisation.regions(s),
                           departments=_departments(), values=values, errors=errors), status


@bp.post("/units/<int:unit_id>/active")
def unit_active(unit_id):
    s = session()
    active = request.form.get("active") == "1"
    try:
        unit = units.set_active(s, unit_id, active)
        audit.record(s, now(), current_user, "admin.unit.activate" if active else "admin.unit.deactivate",
                     f"unit:{unit_id}", {"name": unit.name}, remote_addr())
        s.commit()
    except ServiceError as err:
        return service_error_page(err)
    flash(_("Unit %(name)s is active again.", name=unit.name) if active
          else _("Unit %(name)s is deactivated: no form offers it any more.", name=unit.name), "success")
    return redirect(url_for("admin.units_page"))


@bp.post("/units/import")
def units_import():
    s = session()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file to import."), "error")
        return _render_units(status=422)
    try:
        created = unit_import.import_units(s, upload.read(), security_now())
        audit.record(s, now(), current_user, "admin.unit.import", "units",
                     {"codes": [u.code for u in created]}, remote_addr())
        s.commit()
    except Invalid as err:
        s.rollback()
        flash(err.message, "error")
        return _render_units(status=422, import_errors=err.errors)
    flash(_("%(count)s units are imported.", count=len(created)), "success")
    return redirect(url_for("admin.units_page"))
