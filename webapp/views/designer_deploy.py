"""Deploying a procedure from its editor (with the scenarios' verdict) and again after a form
changed; every new version audited. Routes on the designer's blueprint.
"""
from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services import audit, definitions, designs, variants
from ..services.errors import Invalid, ServiceError
from ..services.scenarios import runs as scenario_runs
from .common import now, remote_addr, session
from .designer import bp, current_forms, designers_only, edited, files_arg, json_body, json_error, problems_json
from .errors import service_error_page


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
    files = files_arg(body)
    prefix = variants.check_prefix(s, body.get("region_prefix") if isinstance(body.get("region_prefix"), str) else "")
    if definition.region_prefix and prefix != definition.region_prefix:
        raise Invalid({"region_prefix": f"正在编辑{variants.place_name(s, definition.region_prefix)}的地区版本，只能部署为该地区版本"})
    failing = scenario_runs.failing_run_for(s, process_id, files) if files else None
    if failing is not None and body.get("confirm_failing_scenarios") is not True:
        raise ScenariosFailed(failing)
    deployed = designs.deploy(s, definition, files, current_forms(), current_user, now(), note, prefix)
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
    body = json_body()
    note = body.get("note") if isinstance(body.get("note"), str) else None
    try:
        deployed = _deploy(s, process_id, body, note or None)
    except definitions.DeployRefused as err:
        s.rollback()
        return jsonify({"error": _("Not deployed: fix the problems first."),
                        "problems": problems_json(err.problems)}), 422
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
