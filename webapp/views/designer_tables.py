"""The decision-table editor (dmn-js): the page and the tables a procedure calls. Saving,
validating and deploying use the modeler's endpoints (`designer.save_draft`, `check`, `deploy`),
which take `.dmn` files as they take diagrams. Routes on the designer's blueprint.
"""
from ..services import designs
from .designer import bp, designers_only
from .designer_modeler import editor_page, files_json
from .designer_words import dmn_messages


@bp.get("/designer/procedures/<process_id>/tables")
@designers_only
def tables(process_id):
    return editor_page(process_id, "designer/tables.html", "designer.table_files", dmnMessages=dmn_messages())


@bp.get("/designer/procedures/<process_id>/tables.json")
@designers_only
def table_files(process_id):
    return files_json(process_id, designs.table_files, lambda f: {"decisions": f.processes})
