"""Cases in the web UI: start one, read it, print its documents, read the child's file."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services import cases, childfile, definitions, forms, organisation, tasklists, units
from ..services.case_diagram import diagram_of
from ..services.errors import Invalid, NotFound, ServiceError
from .common import audit_read, engine, now, remote_addr, require_login, session
from .errors import service_error_page
from .form_display import history

bp = Blueprint("cases", __name__)
bp.before_request(require_login)


@bp.route("/cases/new", methods=["GET", "POST"])
def new():
    s = session()
    procedures = cases.startable(s, current_user)
    process = request.values.get("process", "")
    definition = next((d for d, _purpose in procedures if d.process_id == process), None)
    if definition is None and process and request.method == "GET":
        if any(d.process_id == process for d in definitions.latest_all(s)):
            flash(_("Your office cannot open this procedure: it is opened by another procedure, "
                    "by the scheduler or by other offices."), "error")
        else:
            flash(_("There is no such procedure."), "error")
    elif definition is None and process:  # a POST: start_case says why not
        definition = next((d for d in definitions.latest_all(s) if d.process_id == process), None)
    if definition is None and not process and len(procedures) == 1:
        definition = procedures[0][0]
    regions = organisation.regions_covered(s, current_user.office)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        if definition is None:
            abort(400)
        region = request.form.get("region", "")
        schema = units.for_case(s, definitions.form_of(definition, definition.start_form), None)
        try:
            case = cases.start_case(s, engine(), definition.process_id, region, forms.from_browser(schema, request.form),
                                    current_user, now(), remote_addr())
            s.commit()
        except Invalid as err:
            s.rollback()
            flash(err.message, "error")
            values, errors, status = request.form.to_dict(), err.errors, 422
        except ServiceError as err:
            s.rollback()
            flash(err.message, "error")
            values, status = request.form.to_dict(), err.status
        else:
            flash(_("Case no. %(id)s is opened.", id=case.id), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    # unit choices (x-unit) offered from every active unit; the server keeps those serving the place
    schema = units.for_case(s, definitions.form_of(definition, definition.start_form), None) if definition else None
    return render_template("cases/new.html", procedures=procedures, definition=definition, schema=schema,
                           regions=regions, values=values, errors=errors), status


@bp.get("/cases/<int:case_id>")
def detail(case_id):
    s = session()
    try:
        case = cases.case_for(s, case_id, current_user, now(), remote_addr())
    except ServiceError as err:
        return service_error_page(err)
    audit_read(current_user, "case.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    open_tasks = [{"task": t, "office": cases.task_office(s, t)}
                  for t in cases.open_tasks(s, case)]
    documents = childfile.case_documents(s, case)
    region = organisation.region_names(s, [case.region_code]).get(case.region_code, case.region_code)
    opener = cases.opener_shown(current_user, case)
    if opener is not None and cases.confidentiality(case.definition)[0]:  # the reporting office, named
        audit_read(current_user, cases.REPORTER_READ, f"case:{case.id}", child_id=case.child_id, case=case,
                   case_id=case.id)
    return render_template("cases/detail.html", case=case, open_tasks=open_tasks, steps=history(case),
                           documents=documents, region=region, opener=opener)


@bp.get("/cases/<int:case_id>/documents/<int:entry_id>")
def document(case_id, entry_id):
    s = session()
    try:
        case = cases.case_for(s, case_id, current_user, now(), remote_addr())
        try:
            entry = childfile.case_document(s, case, entry_id)
        except NotFound:
            raise NotFound(_("There is no such document on this case.")) from None
    except ServiceError as err:
        return service_error_page(err)
    audit_read(current_user, "document.read", f"document:{entry.id}", child_id=case.child_id, case=case,
               case_id=case.id, title=entry.title)
    return render_template("cases/document.html", case=case, entry=entry)


@bp.get("/children/<int:child_id>")
def child(child_id):
    s = session()
    try:
        child = cases.child_for(s, child_id, current_user)
    except ServiceError as err:
        return service_error_page(err)
    audit_read(current_user, "child.read", f"child:{child.id}", child_id=child.id)
    child_cases = [(c, cases.can_view_case(s, current_user, c)) for c in childfile.child_cases(s, child)]
    # A private procedure (the psychological file) leaves no trace for offices that may not read it.
    child_cases = [(c, can) for c, can in child_cases if can or not cases.is_private(c)]
    visible = {c.id for c, can in child_cases if can}
    kind = request.args.get("kind") or None
    try:
        page, per_page = tasklists.page_params(request.args.get("page"), request.args.get("per_page"))
        listed = childfile.file_page(s, child, current_user, page, per_page, kind, now(), remote_addr())
    except Invalid:
        flash(_("The page number must be a positive whole number; showing the first page."), "error")
        kind = None
        listed = childfile.file_page(s, child, current_user, now=now(), remote_addr=remote_addr())
    s.commit()  # the audit entry of reading private entries
    args = {"kind": kind, "per_page": listed.per_page if listed.per_page != tasklists.PER_PAGE else None}
    return render_template("cases/child.html", child=child, cases=child_cases, visible=visible,
                           entries=listed.items, listed=listed, args=args)


# -- the case diagram ------------------------------------------------------------------------
@bp.get("/cases/<int:case_id>/diagram")
def diagram(case_id):
    try:
        case = cases.case_for(session(), case_id, current_user, now(), remote_addr())
    except ServiceError as err:
        return service_error_page(err)
    audit_read(current_user, "diagram.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    config = {"urls": {"data": url_for("cases.diagram_data", case_id=case.id)},
              "messages": {"called": _("called"), "Responsible office": _("Responsible office")}}
    open_tasks = [{"task": t, "office": cases.task_office(session(), t)}
                  for t in cases.open_tasks(session(), case)]
    return render_template("designer/case_diagram.html", case=case, config=config, open_tasks=open_tasks)


@bp.get("/cases/<int:case_id>/diagram.json")
def diagram_data(case_id):
    s = session()
    try:
        case = cases.case_for(s, case_id, current_user)
    except ServiceError as err:
        session().rollback()
        return jsonify({"error": err.message}), err.status
    audit_read(current_user, "diagram.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    return jsonify(diagram_of(s, case))
