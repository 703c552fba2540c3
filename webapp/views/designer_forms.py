"""The designer's forms: the list, a new form, its JSON Schema editor and preview. Routes on the
designer's blueprint; a changed form reaches a procedure at its next deploy.
"""
import json

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services import audit, designs
from ..services.errors import Invalid
from ..services.forms import load_forms
from .common import now, remote_addr, session
from .designer import bp, current_forms, designers_only


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
        row = designs.new_form(s, request.form.get("form_id"), request.form.get("title"), current_forms(), current_user, now())
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
    forms = current_forms()
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
