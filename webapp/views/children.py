"""The children's registry in the web UI: list and search, register and edit, import; my cases and
the case search (issue 15.1, 15.2, 15.7). The child's file itself is `cases.child`."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..engine.clock import local_date
from ..services import definitions, organisation, units
from ..services.errors import Invalid, ServiceError
from ..services.registry import children, importing, scope, search
from ..services.registry.codes import CATEGORIES, RELATIONS, RISKS
from .common import now, remote_addr, require_login, session
from .deadlines import counts_with_navigation
from .errors import service_error_page
from .params import web_page

bp = Blueprint("children", __name__)
bp.before_request(require_login)

GUARDIAN_ROWS = 3
XLSX_SUFFIX = ".xlsx"


@bp.get("/children")
def index():
    args = {k: request.args.get(k) or None for k in ("q", "category", "risk", "region")}
    page, per_page = web_page()
    try:
        listed = search.find_children(session(), current_user, page=page, per_page=per_page, **args)
    except Invalid as err:
        flash(err.message + " " + "；".join(err.errors.values()), "error")
        listed, args = search.find_children(session(), current_user), {}
    return render_template("children/index.html", listed=listed, args=args, categories=CATEGORIES, risks=RISKS,
                           may_write=scope.may_write(current_user),
                           places=_places("township"))


def _places(level: str) -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in organisation.regions_covered(session(), current_user.office, level)]


def _form_values(form) -> dict:
    """The form's fields as the registry service takes them (blank fields left out on an edit)."""
    raw = {k: form.get(k, "") for k in ("id_number", "name", "gender", "birth_date", "region", "household_region",
                                         "risk", "risk_reason", "school_unit_id", "reason")}
    raw["categories"] = form.getlist("categories")
    raw["guardians"] = [{"name": form.get(f"guardian-{n}-name", ""), "relation": form.get(f"guardian-{n}-relation", ""),
                         "phone": form.get(f"guardian-{n}-phone", "")} for n in range(GUARDIAN_ROWS)]
    raw["guardians"] = [g for g in raw["guardians"] if any(v.strip() for v in g.values())]
    return raw


def _render_form(child, values: dict, errors: dict, status: int = 200):
    s = session()
    region = values.get("region") or (child.region_code if child else None)
    shown = None
    if child is not None:  # a writer who does not see the child's identity sees the age, not the birth date
        held = scope.held_cases(s, current_user, [child.id]).get(child.id)
        shown = scope.identity(current_user, child, held is not None, local_date(now()))
        if not shown.full:
            values = {k: v for k, v in values.items() if k != "birth_date"}
    return render_template("children/form.html", child=child, values=values, errors=errors, categories=CATEGORIES,
                           shown=shown,
                           risks=RISKS, relations=RELATIONS, rows=range(GUARDIAN_ROWS),
                           villages=_places("village"),
                           schools=units.serving(s, ["education"], region)), status


def _probe() -> dict:
    """The identity-probe allowance and the caller's address (services/registry/probing.py)."""
    return {"allowance": current_app.config["IDENTITY_PROBE_ALLOWANCE"], "remote_addr": remote_addr()}


@bp.route("/children/new", methods=["GET", "POST"])
def new():
    if not scope.may_write(current_user):
        abort(403)
    if request.method == "GET":
        return _render_form(None, {"categories": []}, {})
    s = session()
    raw = _form_values(request.form)
    try:
        child = children.register(s, current_user, {k: v for k, v in raw.items() if v not in ("", [])}, now(),
                                  **_probe())
        s.commit()
    except Invalid as err:
        s.rollback()
        flash(err.message, "error")
        return _render_form(None, {**request.form.to_dict(), "categories": raw["categories"]}, err.errors, 422)
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
        return _render_form(None, {**request.form.to_dict(), "categories": raw["categories"]}, {}, err.status)
    flash(_("%(name)s is registered (file no. %(id)s).", name=child.name, id=child.id), "success")
    return redirect(url_for("cases.child", child_id=child.id))


@bp.route("/children/<int:child_id>/edit", methods=["GET", "POST"])
def edit(child_id):
    s = session()
    try:
        child = scope.writable_child(s, current_user, child_id)
    except ServiceError as err:
        return service_error_page(err)
    if request.method == "GET":
        values = {**children.known_values(child), "categories": list(child.categories or []),
                  "school_unit_id": child.school_unit_id or ""}
        values["birth_date"] = child.birth_date.isoformat() if child.birth_date else ""
        values.pop("id_number")
        for n, g in enumerate(children.guardians_of(s, child)[:GUARDIAN_ROWS]):
            values.update({f"guardian-{n}-name": g.name, f"guardian-{n}-relation": g.relation, f"guardian-{n}-phone": g.phone})
        return _render_form(child, values, {})
    raw = _form_values(request.form)
    raw = {k: v for k, v in raw.items() if k in ("categories", "guardians", "school_unit_id", "household_region")
           or v != ""}
    try:
        change = children.update(s, current_user, child, raw, now(), **_probe())
        s.commit()
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
        return _render_form(child, {**request.form.to_dict(), "categories": request.form.getlist("categories")},
                            getattr(err, "errors", {}), err.status)
    flash(_("The file is updated.") if change else _("Nothing was changed."), "success")
    return redirect(url_for("cases.child", child_id=child.id))


@bp.route("/children/import", methods=["GET", "POST"])
def import_page():
    if not scope.may_write(current_user):
        abort(403)
    if request.method == "GET":
        return render_template("children/import.html", rows=[])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV or XLSX file to import."), "error")
        return render_template("children/import.html", rows=[]), 422
    s = session()
    kind = "xlsx" if upload.filename.lower().endswith(XLSX_SUFFIX) else "csv"
    try:
        result = importing.import_children(s, current_user, upload.read(), now(), kind, **_probe())
        s.commit()
    except importing.ImportFailed as err:
        s.rollback()
        flash(err.message, "error")
        return render_template("children/import.html", rows=err.rows), 422
    flash(_("%(created)s children registered, %(updated)s updated.", created=result.created, updated=result.updated),
          "success")
    return redirect(url_for("children.index"))


# -- finding cases ---------------------------------------------------------------------------
@bp.get("/cases/mine")
def my_cases():
    tab = "finished" if request.args.get("tab") == "finished" else "running"
    page, per_page = web_page()
    listed = search.find_cases(session(), current_user, status=tab, mine=True, page=page, per_page=per_page)
    return render_template("children/my_cases.html", listed=listed, tab=tab, args={"tab": tab})


@bp.get("/cases/search")
def case_search():
    keys = ("q", "process_id", "status", "region", "since", "until")
    args = {k: request.args.get(k) or None for k in keys}
    page, per_page = web_page()
    s = session()
    try:
        listed = search.find_cases(s, current_user, q=args["q"], process=args["process_id"], status=args["status"],
                                   region=args["region"], since=args["since"], until=args["until"],
                                   page=page, per_page=per_page)
    except Invalid as err:
        flash(err.message + " " + "；".join(err.errors.values()), "error")
        listed, args = search.find_cases(s, current_user), {}
    stamp = counts_with_navigation(s, names_stamp=definitions.NAMES_STAMP)["names_stamp"]  # with the badges
    procedures = definitions.latest_names(s, stamp)
    return render_template("children/case_search.html", listed=listed, args=args, procedures=procedures,
                           places=_places("township"))
