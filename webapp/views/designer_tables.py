"""The decision-table editor (dmn-js): the page and the tables a procedure calls. Saving,
validating and deploying use the modeler's endpoints (`designer.save_draft`, `check`, `deploy`),
which take `.dmn` files as they take diagrams. Routes on the designer's blueprint.
"""
from flask import jsonify, render_template, url_for

from ..services import designs, variants
from ..services.errors import ServiceError
from .common import session
from .designer import _csrf, _draft_json, bp, designers_only, json_error
from .designer_words import dmn_messages, modeler_messages
from .errors import service_error_page


@bp.get("/designer/procedures/<process_id>/tables")
@designers_only
def tables(process_id):
    try:
        definition = designs.procedure(session(), process_id)
    except ServiceError as err:
        return service_error_page(err)
    config = {
        "csrf": _csrf(),
        "urls": {
            "files": url_for("designer.table_files", process_id=process_id),
            "save": url_for("designer.save_draft", process_id=process_id),
            "discard": url_for("designer.discard_draft", process_id=process_id),
            "check": url_for("designer.check", process_id=process_id),
            "deploy": url_for("designer.deploy", process_id=process_id),
        },
        "messages": modeler_messages(),
        "dmnMessages": dmn_messages(),
    }
    return render_template("designer/tables.html", definition=definition, config=config,
                           places=variants.places(session()))


@bp.get("/designer/procedures/<process_id>/tables.json")
@designers_only
def table_files(process_id):
    s = session()
    try:
        definition = designs.procedure(s, process_id)
    except ServiceError as err:
        return json_error(err)
    return jsonify({"process_id": process_id, "version": definition.version, "files": [
        {"filename": f.filename, "title": f.title, "xml": f.xml, "decisions": f.processes, "draft": _draft_json(f.draft)}
        for f in designs.table_files(s, definition)]})
