"""The designer's procedures beyond editing one: a new procedure (blank template or copy),
deleting one never deployed, retiring and reinstating. Routes on the designer's blueprint.

Every change is audited; none of these pages shows a child's data (only case counts).
"""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalog import DEPARTMENTS, LEVEL_NAMES
from ..services import audit, definitions, designs
from ..services.errors import Invalid, ServiceError
from ..services.forms import load_forms
from .common import now, remote_addr, session
from .designer import bp, designers_only
from .errors import service_error_page


def _disk_forms() -> dict[str, dict]:
    return load_forms(current_app.config["FORMS_DIR"])


@bp.route("/designer/procedures/new", methods=["GET", "POST"])
@designers_only
def new_procedure():
    s = session()
    values, errors, status = {"from": request.args.get("from", "blank"), "source": request.args.get("source", "")}, {}, 200
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("from", "process_id", "name", "department", "level", "source")}
        try:
            if values["from"] == "copy":
                state = designs.create_copy(s, values["process_id"], values["name"], values["source"], _disk_forms(),
                                            current_user, now())
            else:
                state = designs.create_blank(s, values["process_id"], values["name"], values["department"],
                                             values["level"], _disk_forms(), current_user, now())
            audit.record(s, now(), current_user, "designer.procedure.create", f"process:{state.process_id}",
                         {"from": state.copied_from or "blank"}, remote_addr())
            s.commit()
        except Invalid as err:
            s.rollback()
            errors, status = err.errors, 422
            flash(err.message, "error")
        else:
            flash(_("The new procedure %(id)s is created. Add its steps, validate and deploy it.", id=state.process_id),
                  "success")
            return redirect(url_for("designer.edit", process_id=state.process_id))
    departments = [(code, name, levels) for code, (name, levels) in DEPARTMENTS.items()]
    return render_template("designer/new.html", values=values, errors=errors, departments=departments,
                           levels=LEVEL_NAMES, sources=definitions.latest_all(s)), status


@bp.post("/designer/procedures/<process_id>/delete")
@designers_only
def delete_procedure(process_id):
    s = session()
    try:
        designs.delete_undeployed(s, process_id)
        audit.record(s, now(), current_user, "designer.procedure.delete", f"process:{process_id}", None, remote_addr())
        s.commit()
    except ServiceError as err:
        return service_error_page(err)
    flash(_("The new procedure %(id)s is deleted.", id=process_id), "success")
    return redirect(url_for("designer.index"))


@bp.post("/designer/procedures/<process_id>/retire")
@designers_only
def retire(process_id):
    s = session()
    try:
        designs.retire(s, process_id, request.form.get("reason", ""), current_user, now())
        audit.record(s, now(), current_user, "designer.procedure.retire", f"process:{process_id}",
                     {"reason": request.form.get("reason", "").strip()}, remote_addr())
        s.commit()
    except ServiceError as err:
        s.rollback()
        if err.status == 404:
            return service_error_page(err)
        flash(err.message, "error")
    else:
        flash(_("The procedure is retired: no new cases start on it; running cases go on."), "success")
    return redirect(url_for("designer.procedure", process_id=process_id))


@bp.post("/designer/procedures/<process_id>/reinstate")
@designers_only
def reinstate(process_id):
    s = session()
    try:
        designs.reinstate(s, process_id)
        audit.record(s, now(), current_user, "designer.procedure.reinstate", f"process:{process_id}", None,
                     remote_addr())
        s.commit()
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
    else:
        flash(_("The procedure is in use again: new cases may start on it."), "success")
    return redirect(url_for("designer.procedure", process_id=process_id))
