"""Scenarios for designers and policy testers (role `tester`, who sees no child's data): the
Chinese scenarios of each procedure, replays against the procedure's draft (off the web worker),
scenarios written with the step vocabulary, and deploying a draft whose replay failed only after
an explicit confirmation, recorded in the audit log."""
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import scenario_jobs
from ..config import ROOT
from ..services import audit, definitions, designs, variants
from ..services.errors import Invalid, ServiceError
from ..services.forms import load_forms
from ..services.scenarios import features, lookup, runs, saved
from ..services.scenarios.vocabulary import KIND_NAMES, PARAMETER_NAMES
from .common import engine, now, remote_addr, require_login, session
from .errors import service_error_page
from .guards import only
from .params import whole_number

bp = Blueprint("scenarios", __name__)
bp.before_request(require_login)


testers_only = only(lambda user: user.may_test)


def _features_dir() -> Path:
    return Path(current_app.config.get("FEATURES_DIR") or ROOT / "features")


def _features(s, process_id: str) -> list[features.Feature]:
    """The procedure's scenarios: the feature files that start it, then those saved in the browser."""
    return features.of_procedure(features.read_features(_features_dir()), process_id) + \
        saved.as_features(saved.of_procedure(s, process_id))


def _forms(s) -> dict[str, dict]:
    return designs.effective_forms(s, load_forms(current_app.config["FORMS_DIR"]))


@bp.get("/scenarios/")
@testers_only
def index():
    s = session()
    every = features.read_features(_features_dir())
    rows = [(d, sum(len(f.scenarios) for f in features.of_procedure(every, d.process_id))
             + len(saved.of_procedure(s, d.process_id)), variants.count(s, d.process_id))
            for d in definitions.latest_all(s)]
    return render_template("scenarios/index.html", rows=rows)


@bp.get("/scenarios/<process_id>")
@testers_only
def procedure(process_id):
    s = session()
    try:
        definition = definitions.get_latest_or_404(s, process_id)
        places = variants.variants(s, process_id)
    except ServiceError as err:
        return service_error_page(err)
    return render_template("scenarios/procedure.html", definition=definition, features=_features(s, process_id),
                           drafts=runs.draft_changes(s, process_id), recent=runs.recent(s, process_id),
                           saved_rows=saved.of_procedure(s, process_id), places=places)


def _start_replay(s, process_id: str, feature_list: list[features.Feature]) -> int:
    changes = runs.draft_changes(s, process_id)
    run = runs.start(s, process_id, changes, current_user, now())
    replay = scenario_jobs.Replay(run.id, scenario_jobs.replay_files(s, changes), _forms(s), feature_list,
                                  designs.carried_variables(s), engine().settings, engine().living,
                                  variants=scenario_jobs.variant_files(s))
    audit.record(s, now(), current_user, "scenarios.replay", f"process:{process_id}",
                 {"run": run.id, "target": run.target, "scenarios": sum(len(f.scenarios) for f in feature_list)},
                 remote_addr())
    s.commit()
    scenario_jobs.start(replay, current_app.extensions["tonghu.sessionmaker"], engine().clock.now)
    return run.id


@bp.post("/scenarios/<process_id>/replay")
@testers_only
def replay(process_id):
    s = session()
    try:
        definitions.get_latest_or_404(s, process_id)
        run_id = _start_replay(s, process_id, _features(s, process_id))
    except ServiceError as err:
        return service_error_page(err)
    return redirect(url_for("scenarios.run", run_id=run_id))


@bp.get("/scenarios/runs/<int:run_id>")
@testers_only
def run(run_id):
    s = session()
    try:
        row = runs.get(s, run_id, now())
    except ServiceError as err:
        return service_error_page(err)
    s.commit()  # a run found interrupted is recorded as such
    changes = runs.draft_changes(s, row.process_id)
    current = row.target == "draft" and row.content == runs.content_of(changes)
    return render_template("scenarios/run.html", run=row, current=current,
                           definition=definitions.get_latest_or_404(s, row.process_id))


@bp.post("/scenarios/<process_id>/deploy")
@testers_only
def deploy(process_id):
    """Deploy the procedure's drafts; when their latest replay failed, only with the confirmation box ticked."""
    if not current_user.is_designer:
        abort(403)
    s = session()
    changes = runs.draft_changes(s, process_id)
    if not changes:
        flash(_("There is no draft to deploy."), "error")
        return redirect(url_for("scenarios.procedure", process_id=process_id))
    failing = runs.failing_run_for(s, process_id, changes)
    if failing is not None and request.form.get("confirm_failing") != "1":
        flash(_("Scenarios of this draft failed. Tick the confirmation to deploy it anyway."), "error")
        return redirect(url_for("scenarios.run", run_id=failing.id))
    try:
        definition = designs.procedure(s, process_id)
        deployed = designs.deploy(s, definition, changes, _forms(s), current_user, now(), request.form.get("note") or None)
    except definitions.DeployRefused as err:
        s.rollback()
        for problem in err.problems:
            flash(str(problem), "error")
        return redirect(url_for("scenarios.procedure", process_id=process_id))
    except ServiceError as err:
        return service_error_page(err)
    for d in deployed:
        audit.record(s, now(), current_user, "designer.deploy", f"process:{d.process_id}",
                     {"version": d.version, "note": d.note}, remote_addr())
    if failing is not None:
        audit.record(s, now(), current_user, "designer.deploy.failing_scenarios_confirmed", f"process:{process_id}",
                     {"run": failing.id, "failed": [r["name"] for r in failing.results if r["status"] in ("failed", "timeout")],
                      "versions": [d.version for d in deployed]}, remote_addr())
    s.commit()
    flash(_("Deployed: %(list)s.", list="，".join(f"{d.name} v{d.version}" for d in deployed)) if deployed
          else _("Nothing changed; no new version."), "success")
    return redirect(url_for("scenarios.procedure", process_id=process_id))


def _vocabulary() -> list[dict]:
    return [{"kind": KIND_NAMES[step.kind], "pattern": step.pattern, "doc": step.doc, "table": step.takes_table,
             "module": step.module, "parameters": [(p, PARAMETER_NAMES.get(p, p)) for p in step.parameters]}
            for step in lookup.all_steps()]


@bp.route("/scenarios/<process_id>/write", methods=["GET", "POST"])
@testers_only
def write(process_id):
    s = session()
    try:
        definition = definitions.get_latest_or_404(s, process_id)
    except ServiceError as err:
        return service_error_page(err)
    text, errors, status = request.args.get("from_saved") and _saved_text(s, process_id) or "", {}, 200
    if request.method == "POST":
        text = request.form.get("text", "")
        try:
            if request.form.get("action") == "save":
                row = saved.save(s, process_id, text, current_user, now())
                audit.record(s, now(), current_user, "scenarios.save", f"process:{process_id}", {"name": row.name},
                             remote_addr())
                s.commit()
                flash(_("The scenario is saved with the procedure."), "success")
                return redirect(url_for("scenarios.procedure", process_id=process_id))
            feature = saved.check(process_id, text)
            return redirect(url_for("scenarios.run", run_id=_start_replay(s, process_id, [feature])))
        except Invalid as err:
            s.rollback()
            errors, status = err.errors, 422
        except ServiceError as err:  # e.g. a replay already running: say so, keep the text
            s.rollback()
            errors, status = {"text": err.message}, err.status
    return render_template("scenarios/write.html", definition=definition, text=text, errors=errors,
                           vocabulary=_vocabulary()), status


def _saved_text(s, process_id: str) -> str:
    try:
        row = saved.get(s, whole_number(request.args.get("from_saved")) or 0)
    except ServiceError:
        return ""
    return row.text if row.process_id == process_id else ""


@bp.post("/scenarios/saved/<int:scenario_id>/delete")
@testers_only
def delete_saved(scenario_id):
    s = session()
    try:
        row = saved.get(s, scenario_id)
        process_id, name = row.process_id, row.name
        saved.delete(s, scenario_id)
    except ServiceError as err:
        return service_error_page(err)
    audit.record(s, now(), current_user, "scenarios.delete", f"process:{process_id}", {"name": name}, remote_addr())
    s.commit()
    flash(_("The scenario is deleted."), "success")
    return redirect(url_for("scenarios.procedure", process_id=process_id))
