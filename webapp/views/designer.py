"""The process designer (role designer or admin): procedures and their versions, and what the
designer's pages share (the guard, JSON errors and bodies, the edited version, the forms).

The designer's other pages hang their routes off this blueprint: the editors and their JSON
(`designer_modeler`, `designer_tables`), deploying (`designer_deploy`), forms (`designer_forms`),
new, deleted and retired procedures (`designer_procedures`). Designers see diagrams and case
counts, never a child's data.
"""
from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _

from ..i18n import lazy
from ..services import definitions, designs, variants
from ..services.cases import design_errors
from ..services.errors import Invalid, ServiceError
from ..services.forms import load_forms
from .common import require_login, session
from .errors import service_error_page
from .guards import only
from .params import whole_number

bp = Blueprint("designer", __name__)
bp.before_request(require_login)

designers_only = only(lambda user: user.is_designer, lazy("Only process designers and administrators may do this."))


def json_error(err: ServiceError):
    session().rollback()
    body = {"error": err.message}
    if isinstance(err, Invalid):
        body["errors"] = err.errors
    return jsonify(body), err.status


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def edited(s, process_id: str):
    """The version an editor works on: the national one, or with `?region=` that place's variant."""
    return designs.procedure(s, process_id, request.args.get("region", ""))


def files_arg(body) -> dict[str, str]:
    files = body.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        abort(400)
    return files


def current_forms() -> dict[str, dict]:
    return designs.effective_forms(session(), load_forms(current_app.config["FORMS_DIR"]))


def problems_json(problems) -> list[dict]:
    return [{"file": p.file, "element": p.element, "message": p.message} for p in problems]


def draft_json(draft) -> dict | None:
    if draft is None:
        return None
    return {"revision": draft.revision, "updated_at": draft.updated_at.isoformat(),
            "updated_by": draft.updated_by.display_name if draft.updated_by else None}


# -- procedures ---------------------------------------------------------------------------
@bp.get("/designer/")
@designers_only
def index():
    s = session()
    procedures = definitions.latest_all(s)
    rows = [(d, designs.versions(s, d.process_id)) for d in procedures]
    return render_template("designer/index.html", rows=rows, new=designs.undeployed(s), retired=designs.retired_ids(s))


@bp.get("/designer/procedures/<process_id>")
@designers_only
def procedure(process_id):
    s = session()
    try:
        latest = designs.procedure(s, process_id)  # a new procedure's draft has no versions yet
        rows = designs.versions(s, process_id) if latest.id is not None else []
        places = variants.variants(s, process_id) if latest.id is not None else []
    except ServiceError as err:
        return service_error_page(err)
    files = designs.editable_files(s, latest)
    return render_template("designer/procedure.html", latest=latest, rows=rows, files=files,
                           tables=designs.table_files(s, latest), retired=designs.retired(s, process_id),
                           places=places, current={v.definition.id for v in places},
                           place_of={v.prefix: v.place for v in places},
                           failures=design_errors.recent(s, process_id))


@bp.get("/designer/procedures/<process_id>/diff")
@designers_only
def diff(process_id):
    s = session()
    try:
        rows = designs.versions(s, process_id)
        newest = rows[0].definition.version
        to_version = whole_number(request.args.get("to", newest), most=10**9) or newest
        from_version = whole_number(request.args.get("from", max(to_version - 1, 1)), most=10**9) or max(to_version - 1, 1)
        old = designs.version(s, process_id, from_version)
        new = designs.version(s, process_id, to_version)
    except ServiceError as err:
        return service_error_page(err)
    return render_template("designer/diff.html", old=old, new=new, rows=rows, changes=designs.diff(old, new),
                           aspects=_aspect_names())


def _aspect_names() -> dict[str, str]:
    return {
        "name": _("Element name"), "lane": _("Lane"), "route": _("Department and level"), "form": _("Form"),
        "dueIn": _("Due in"), "handler": _("Handler"), "resultVariable": _("Result variable"),
        "parameters": _("Parameters"), "condition": _("Condition"), "default": _("Default flow"),
        "source": _("From"), "target": _("To"), "calledElement": _("Called process"),
        "calledDecisionId": _("Decision table"), "preScript": _("Script before the task"),
        "postScript": _("Script after the task"), "script": _("Script"), "timer": _("Timer"),
        "properties": _("Other properties"), "documentation": _("Documentation"), "fields": _("Fields"),
        "hitPolicy": _("Hit policy"), "expression": _("Input expression"), "conditions": _("Conditions"),
        "outputs": _("Outputs"), "description": _("Description"), "order": _("Order"),
    }
