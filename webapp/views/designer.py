"""The process designer (role designer or admin): procedures, the bpmn-js modeler, drafts,
validation, deploy, versions and their differences, forms; and the case diagram officials see.

The modeler page talks JSON to the endpoints here (session cookie + CSRF header). Designers
see diagrams and case counts, never a child's data: the case diagram is for those who may
view the case (`services.cases.case_for`).
"""
import json
from functools import wraps

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services import audit, definitions, designs, variants
from ..services.cases import design_errors
from ..services.errors import Invalid, ServiceError
from ..services.forms import load_forms
from ..services.scenarios import runs as scenario_runs
from .common import now, remote_addr, require_login, session
from .designer_words import bpmn_messages, modeler_messages
from .errors import service_error_page
from .params import whole_number

bp = Blueprint("designer", __name__)
bp.before_request(require_login)


def designers_only(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_designer:
            if request.accept_mimetypes.best == "application/json" or request.is_json:
                return jsonify({"error": _("Only process designers and administrators may do this.")}), 403
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def json_error(err: ServiceError):
    session().rollback()
    body = {"error": err.message}
    if isinstance(err, Invalid):
        body["errors"] = err.errors
    return jsonify(body), err.status


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def edited(s, process_id: str):
    """The version an editor works on: the national one, or with `?region=` that place's variant."""
    return designs.procedure(s, process_id, request.args.get("region", ""))


def _files_arg(body) -> dict[str, str]:
    files = body.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        abort(400)
    return files


def _forms() -> dict[str, dict]:
    return designs.effective_forms(session(), load_forms(current_app.config["FORMS_DIR"]))


def _problems_json(problems) -> list[dict]:
    return [{"file": p.file, "element": p.element, "message": p.message} for p in problems]


def _draft_json(draft) -> dict | None:
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


@bp.get("/designer/procedures/<process_id>/edit")
@designers_only
def edit(process_id):
    return editor_page(process_id, "designer/modeler.html", "designer.files", bpmnMessages=bpmn_messages(),
                       catalog=url_for("designer.catalog"))


def editor_page(process_id: str, template: str, files_endpoint: str, catalog: str | None = None, **messages):
    """An editor of a procedure's files (the modeler, the decision tables): the procedure, or its
    error page, and the page's configuration (CSRF token, the JSON endpoints, the words)."""
    try:
        definition = edited(session(), process_id)
    except ServiceError as err:
        return service_error_page(err)
    urls = {"catalog": catalog} if catalog else {}
    region = {"region": definition.region_prefix} if definition.region_prefix else {}  # a variant's own files
    urls |= {"files": url_for(files_endpoint, process_id=process_id, **region),
             **{name: url_for(f"designer.{endpoint}", process_id=process_id, **region) for name, endpoint in (
                 ("save", "save_draft"), ("discard", "discard_draft"), ("check", "check"), ("deploy", "deploy"))}}
    config = {"csrf": _csrf(), "urls": urls, "messages": modeler_messages(), **messages}
    places = variants.places(session())
    if definition.region_prefix:  # deployed as this variant again, never as the national version
        places = [(prefix, name) for prefix, name in places if prefix == definition.region_prefix]
    return render_template(template, definition=definition, config=config, places=places)


def _csrf() -> str:
    from flask_wtf.csrf import generate_csrf
    return generate_csrf()


@bp.get("/designer/catalog.json")
@designers_only
def catalog():
    return jsonify(designs.catalog(_forms()))


@bp.get("/designer/procedures/<process_id>/files")
@designers_only
def files(process_id):
    return files_json(process_id, designs.editable_files, lambda f: {"processes": f.processes, "main": f.main})


def files_json(process_id: str, listing, fields):
    """A procedure's files as an editor loads them (`listing(session, definition)`, each with the
    `fields(file)` of its kind), or the JSON error."""
    s = session()
    try:
        definition = edited(s, process_id)
    except ServiceError as err:
        return json_error(err)
    return jsonify({"process_id": process_id, "version": definition.version, "files": [
        {"filename": f.filename, "title": f.title, "xml": f.xml, **fields(f), "draft": _draft_json(f.draft)}
        for f in listing(s, definition)]})


@bp.post("/designer/procedures/<process_id>/drafts")
@designers_only
def save_draft(process_id):
    s = session()
    body = _body()
    if not isinstance(body.get("file"), str) or not isinstance(body.get("xml"), str):
        abort(400)
    revision = body.get("revision")
    try:
        definition = edited(s, process_id)
        draft = designs.save_draft(s, definition, body["file"], body["xml"], current_user, now(),
                                   revision if isinstance(revision, int) else None)
        audit.record(s, now(), current_user, "designer.draft.save", f"file:{body['file']}",
                     {"process": process_id, "revision": draft.revision}, remote_addr())
        s.commit()
    except ServiceError as err:
        return json_error(err)
    return jsonify({"draft": _draft_json(draft)})


@bp.post("/designer/procedures/<process_id>/drafts/discard")
@designers_only
def discard_draft(process_id):
    s = session()
    body = _body()
    try:
        definition = edited(s, process_id)
        if body.get("file") not in definition.files:
            abort(400)
        designs.discard_draft(s, body["file"], definition)
        audit.record(s, now(), current_user, "designer.draft.discard", f"file:{body['file']}",
                     {"process": process_id}, remote_addr())
        s.commit()
    except ServiceError as err:
        return json_error(err)
    return jsonify({"xml": definition.files[body["file"]]})


@bp.post("/designer/procedures/<process_id>/check")
@designers_only
def check(process_id):
    s = session()
    try:
        definition = edited(s, process_id)
        problems, warnings = designs.check_with_warnings(s, definition, _files_arg(_body()), _forms())
    except ServiceError as err:
        return json_error(err)
    return jsonify({"problems": _problems_json(problems), "warnings": _problems_json(warnings)})


class ScenariosFailed(Exception):
    """The latest replay of exactly these files failed: deploying needs `confirm_failing_scenarios`."""

    def __init__(self, run):
        super().__init__(run.id)
        self.run = run


def _deploy(s, process_id, body: dict, note: str | None) -> list:
    """Deploy a procedure's latest version with `body["files"]` (none: as it is) and the current forms,
    as the variant of `body["region_prefix"]` if given; audit each new version, commit. Raises
    ServiceError, definitions.DeployRefused and ScenariosFailed uncommitted."""
    definition = edited(s, process_id)
    files = _files_arg(body)
    prefix = variants.check_prefix(s, body.get("region_prefix") if isinstance(body.get("region_prefix"), str) else "")
    if definition.region_prefix and prefix != definition.region_prefix:
        raise Invalid({"region_prefix": f"正在编辑{variants.place_name(s, definition.region_prefix)}的地区版本，只能部署为该地区版本"})
    failing = scenario_runs.failing_run_for(s, process_id, files) if files else None
    if failing is not None and body.get("confirm_failing_scenarios") is not True:
        raise ScenariosFailed(failing)
    deployed = designs.deploy(s, definition, files, _forms(), current_user, now(), note, prefix)
    for d in deployed:
        audit.record(s, now(), current_user, "designer.deploy", f"process:{d.process_id}",
                     {"version": d.version, "note": d.note, "region_prefix": d.region_prefix}, remote_addr())
    if failing is not None and deployed:
        audit.record(s, now(), current_user, "designer.deploy.failing_scenarios_confirmed", f"process:{process_id}",
                     {"run": failing.id, "versions": [d.version for d in deployed]}, remote_addr())
    s.commit()
    return deployed


@bp.post("/designer/procedures/<process_id>/deploy")
@designers_only
def deploy(process_id):
    s = session()
    body = _body()
    note = body.get("note") if isinstance(body.get("note"), str) else None
    try:
        deployed = _deploy(s, process_id, body, note or None)
    except definitions.DeployRefused as err:
        s.rollback()
        return jsonify({"error": _("Not deployed: fix the problems first."),
                        "problems": _problems_json(err.problems)}), 422
    except ScenariosFailed as err:
        s.rollback()
        return jsonify({"error": _("Scenarios of this draft failed. Tick the confirmation to deploy it anyway."),
                        "needs_confirmation": True, "failed": err.run.failed, "run_id": err.run.id,
                        "run": url_for("scenarios.run", run_id=err.run.id)}), 409
    except ServiceError as err:
        return json_error(err)
    return jsonify({"deployed": [{"process_id": d.process_id, "name": d.name, "version": d.version,
                                  "region_prefix": d.region_prefix, "place": variants.place_name(s, d.region_prefix),
                                  "url": url_for("designer.procedure", process_id=d.process_id)} for d in deployed]})


@bp.post("/designer/procedures/<process_id>/redeploy")
@designers_only
def redeploy(process_id):
    """Deploy the latest version again with the current forms (after a form was changed)."""
    s = session()
    try:
        deployed = _deploy(s, process_id, {}, request.form.get("note") or _("Forms updated"))
    except definitions.DeployRefused as err:
        s.rollback()
        for problem in err.problems:
            flash(str(problem), "error")
        return redirect(url_for("designer.procedure", process_id=process_id))
    except ServiceError as err:
        return service_error_page(err)
    if deployed:
        flash(_("Deployed: %(list)s.", list="，".join(f"{d.name} v{d.version}" for d in deployed)), "success")
    else:
        flash(_("Nothing changed; no new version."), "info")
    return redirect(url_for("designer.procedure", process_id=process_id))


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


# -- forms --------------------------------------------------------------------------------
@bp.get("/designer/forms/")
@designers_only
def forms_index(errors=None, status=200):
    s = session()
    disk = load_forms(current_app.config["FORMS_DIR"])
    forms = designs.effective_forms(s, disk)
    saved = {name: designs.saved_form(s, name) for name in forms}
    return render_template("designer/forms.html", forms=forms, saved=saved, errors=errors or {},
                           typed=request.form if errors else {}), status


@bp.post("/designer/forms/new")
@designers_only
def new_form():
    """「新建表单」: a form for a new user task, without touching files; then its editor."""
    s = session()
    try:
        row = designs.new_form(s, request.form.get("form_id"), request.form.get("title"), _forms(), current_user, now())
        audit.record(s, now(), current_user, "designer.form.create", f"form:{row.name}", None, remote_addr())
        s.commit()
    except Invalid as err:
        s.rollback()
        return forms_index(err.errors, 422)
    flash(_("The form is created. Add its fields, then choose it for a user task in the modeler."), "success")
    return redirect(url_for("designer.form", name=row.name))


@bp.route("/designer/forms/<name>", methods=["GET", "POST"])
@designers_only
def form(name):
    s = session()
    forms = _forms()
    if request.method == "GET" and name not in forms:
        abort(404)
    text = json.dumps(forms.get(name), ensure_ascii=False, indent=2) if name in forms else ""
    problems, status = [], 200
    if request.method == "POST":
        text = request.form.get("schema", "")
        try:
            designs.save_form(s, name, text, current_user, now())
            audit.record(s, now(), current_user, "designer.form.save", f"form:{name}", None, remote_addr())
            s.commit()
        except Invalid as err:
            s.rollback()
            problems = designs.form_problems(name, text)[1] or [err.message]
            status = 422
        else:
            flash(_("The form is saved. Procedures that use it take it on at their next deploy."), "success")
            return redirect(url_for("designer.form", name=name))
    schema, _ignored = designs.form_problems(name, text)
    users = designs.procedures_using_form(s, name)
    current = forms.get(name)
    stale = [d for d in users if d.forms.get(name) != current]
    return render_template("designer/form.html", name=name, text=text, schema=schema if not problems else None,
                           problems=problems, users=users, stale=stale, saved=designs.saved_form(s, name),
                           preview_url=url_for("designer.form_preview", name=name)), status


@bp.post("/designer/forms/<name>/preview")
@designers_only
def form_preview(name):
    """The form as officials will see it, rendered by the same macros, with the schema's problems."""
    text = request.form.get("schema", "")
    schema, problems = designs.form_problems(name, text)
    html = ""
    if schema is not None and isinstance(schema.get("properties"), dict):
        try:
            html = render_template("designer/_form_preview.html", schema=schema)
        except Exception as err:  # a schema the renderer cannot draw is a problem, not a crash
            problems.append(_("The form cannot be drawn: %(error)s", error=str(err)))
    return jsonify({"html": html, "problems": problems})
