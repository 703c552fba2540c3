"""The bpmn-js modeler and what every editor of a procedure's files shares: the page's
configuration, the files as JSON, drafts saved and discarded, and the check. The modeler page
talks JSON to these endpoints (session cookie + CSRF header). Routes on the designer's blueprint.
"""
from flask import abort, jsonify, render_template, url_for
from flask_login import current_user

from ..services import audit, designs, variants
from ..services.errors import ServiceError
from .common import now, remote_addr, session
from .designer import (bp, current_forms, designers_only, draft_json, edited, files_arg, json_body, json_error,
                       problems_json)
from .designer_words import bpmn_messages, modeler_messages
from .errors import service_error_page


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
    return jsonify(designs.catalog(current_forms()))


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
        {"filename": f.filename, "title": f.title, "xml": f.xml, **fields(f), "draft": draft_json(f.draft)}
        for f in listing(s, definition)]})


@bp.post("/designer/procedures/<process_id>/drafts")
@designers_only
def save_draft(process_id):
    s = session()
    body = json_body()
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
    return jsonify({"draft": draft_json(draft)})


@bp.post("/designer/procedures/<process_id>/drafts/discard")
@designers_only
def discard_draft(process_id):
    s = session()
    body = json_body()
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
        problems, warnings = designs.check_with_warnings(s, definition, files_arg(json_body()), current_forms())
    except ServiceError as err:
        return json_error(err)
    return jsonify({"problems": problems_json(problems), "warnings": problems_json(warnings)})
