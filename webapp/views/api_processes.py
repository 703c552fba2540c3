"""The API's procedures (/api/v1/processes…): the deployed ones, one with its start form, starting a
case; and the units a form may offer. Routes on the API blueprint (`views/api.py`)."""
from flask import g, jsonify, request

from ..catalog import DEPARTMENTS, department_name
from ..services import cases, definitions, designs, units
from ..services.errors import Invalid
from .api import bp, instance_json, json_answer, json_body, token_required
from .common import engine, now, remote_addr, session

@bp.get("/processes")
@token_required
def list_processes():
    """Every deployed procedure; `retired` ones start no new case (running ones go on)."""
    s = session()
    retired = designs.retired_ids(s)
    return jsonify([{"id": d.process_id, "name": d.name, "version": d.version, "retired": d.process_id in retired}
                    for d in definitions.latest_all(s)])


@bp.get("/processes/<process_id>")
@token_required
def get_process(process_id):
    d = definitions.get_latest_or_404(session(), process_id)
    return jsonify({"id": d.process_id, "name": d.name, "version": d.version,
                    "deployed_at": d.deployed_at.isoformat(), "form": definitions.form_of(d, d.start_form)})


@bp.post("/processes/<process_id>/instances")
@token_required
def start_instance(process_id):
    body = json_body()
    case = cases.start_case(session(), engine(), process_id, body.get("region"), body.get("data"),
                            g.api_user, now(), remote_addr())
    session().commit()
    return json_answer(instance_json(case), 201)


@bp.get("/units")
@token_required
def list_units():
    """The active units serving a place (`?region=`, a region code: units whose area covers it),
    of a department (`?department=`): what a form's unit choice offers there."""
    department = request.args.get("department") or None
    region = request.args.get("region") or None
    errors = {}
    if department is not None and department not in DEPARTMENTS:
        errors["department"] = "不是已知部门"
    if region is not None and not (region.isascii() and region.isdigit() and len(region) == 12):
        errors["region"] = "必须是 12 位行政区划代码"
    if errors:
        raise Invalid(errors)
    found = units.serving(session(), [department] if department else None, region)
    return jsonify([{"id": u.id, "code": u.code, "name": u.name, "department": u.department_code,
                     "department_name": department_name(u.department_code), "region": u.region_code,
                     "serves": u.serve_prefixes} for u in found])
