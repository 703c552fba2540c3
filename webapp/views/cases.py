"""Cases in the web UI: start one, read it, print its documents, read the child's file."""
from functools import partial
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..engine.clock import local_date
from ..models import Unit
from ..services import audit, cases, childfile, definitions, designs, forms, organisation, pdf, supervision, tasklists, units
from ..services.registry import children as registry, codes, scope
from ..services.case_diagram import diagram_of, ran_steps
from ..services.errors import DesignError, Invalid, NotFound, ServiceError
from .common import audit_read, back, engine, now, record_design_error, remote_addr, require_login, session
from .errors import service_error_page
from .filters import format_dt
from .form_display import audit_reporter_read, history

bp = Blueprint("cases", __name__)
bp.before_request(require_login)


@bp.route("/cases/new", methods=["GET", "POST"])
def new():
    s = session()
    procedures = cases.startable(s, current_user)
    process = request.values.get("process", "")
    definition = next((d for d, _purpose in procedures if d.process_id == process), None)
    if definition is None and process and request.method == "GET":
        if designs.retired(s, process) is not None:
            flash(_("This procedure is retired: no new cases start on it; running cases go on."), "error")
        elif any(d.process_id == process for d in definitions.latest_all(s)):
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
            if isinstance(err, DesignError):
                record_design_error(err, current_user)
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
    return _render_case(case_id)


def _render_case(case_id, identity_values=None, identity_errors=None, status=200, identity_next=None):
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
    audit_reporter_read(current_user, case, opener=True)  # the page names the reporting office
    return render_template("cases/detail.html", case=case, open_tasks=open_tasks, steps=history(case),
                           documents=documents, region=region, opener=opener,
                           can_identify=cases.may_complete_identity(s, current_user, case),
                           identity_values=identity_values, identity_errors=identity_errors,
                           identity_next=identity_next or url_for("cases.detail", case_id=case.id),
                           routing_actions=supervision.case_actions(s, case)), status


def _local_next() -> str | None:
    """The page the identity form came from (a local path only), to return to once it is saved."""
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None


@bp.post("/cases/<int:case_id>/child-identity")
def identify_child(case_id):
    """补全儿童身份: the ID number (and what it implies) of a child reported without one."""
    s = session()
    values = {k: request.form.get(k, "") for k in ("id_number", "name", "birth_date", "gender")}
    try:
        case = cases.complete_identity(s, engine(), case_id, current_user, values, now(), remote_addr())
        s.commit()
    except Invalid as err:
        s.rollback()
        flash(err.message, "error")
        return _render_case(case_id, values, err.errors, 422, _local_next())
    except ServiceError as err:
        s.rollback()
        return service_error_page(err)
    flash(_("The child's identity is completed: %(name)s.", name=case.child.name), "success")
    return back(url_for("cases.detail", case_id=case.id))


@bp.get("/cases/<int:case_id>/documents/<int:entry_id>")
def document(case_id, entry_id):
    try:
        case, entry = _read_document(case_id, entry_id)
    except ServiceError as err:
        return service_error_page(err)
    return render_template("cases/document.html", case=case, entry=entry)


def _read_document(case_id, entry_id, **detail):
    """The case and its document, read-checked and the read audited (the page and the PDF alike)."""
    case = cases.case_for(session(), case_id, current_user, now(), remote_addr())
    try:
        entry = childfile.case_document(session(), case, entry_id)
    except NotFound:
        raise NotFound(_("There is no such document on this case.")) from None
    audit_read(current_user, "document.read", f"document:{entry.id}", child_id=case.child_id, case=case,
               case_id=case.id, title=entry.title, **detail)
    return case, entry


@bp.get("/cases/<int:case_id>/documents/<int:entry_id>.pdf")
def document_pdf(case_id, entry_id):
    """The document as PDF, to archive or send: read-checked and audited like the page."""
    s = session()
    try:
        _case, entry = _read_document(case_id, entry_id, format="pdf")
    except ServiceError as err:
        return service_error_page(err)
    body = pdf.filed_pdf(s, entry, now())  # filed when issued; rendered and filed here only if missing
    s.commit()
    name = f"{entry.document_number or entry.title}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=\"document-{entry.id}.pdf\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})


@bp.get("/children/<int:child_id>")
def child(child_id):
    """The child's file: the registry entry and its history, guardians, every case the viewer may read
    with where it stands, and the entries a page at a time (by kind and date)."""
    s = session()
    try:
        opened = scope.open_file(s, current_user, child_id)
    except ServiceError as err:
        return service_error_page(err)
    child, at = opened.child, now()
    # The read's audit entries (the file's, a private case's) are written with this request's one commit
    # after the page is drawn, or on their own should anything below fail (audit.read_committed_with).
    with audit.read_committed_with(s, current_user, "child.read", f"child:{child.id}", child_id=child.id,
                                   detail={"via": "web"}, now=at, remote_addr=remote_addr()) as reads:
        page = _child_page(s, opened, at, reads)
        s.commit()
    return page


def _child_page(s, opened: scope.OpenedFile, at, reads: audit.PendingReads) -> str:
    child, listed_cases = opened.child, opened.visible
    filters = {k: request.args.get(k) or None for k in ("kind", "since", "until")}
    known = {"listed": opened.cases, "readable": opened.readable, "into": reads}
    try:
        page, per_page = tasklists.page_params(request.args.get("page"), request.args.get("per_page"))
        listed = childfile.file_page(s, child, current_user, page, per_page, filters["kind"], at, remote_addr(),
                                     since=filters["since"], until=filters["until"], **known)
    except Invalid:
        flash(_("The page number must be a positive whole number; showing the first page."), "error")
        filters = {}
        listed = childfile.file_page(s, child, current_user, now=at, remote_addr=remote_addr(), **known)
    changes = registry.history(s, child)
    args = {**filters, "per_page": listed.per_page if listed.per_page != tasklists.PER_PAGE else None}
    shown = scope.identity(current_user, child, opened.held is not None, local_date(at))
    return render_template("cases/child.html", child=child, why=opened.why, id_number=shown.id_number, shown=shown,
                           cases=listed_cases, positions=childfile.positions(s, listed_cases),
                           rows=_file_rows(listed.items, opened), listed=listed, args=args,
                           guardians=registry.guardians_of(s, child),
                           changes=changes, schools=registry.school_names(s, changes),
                           describe=partial(registry.describe, full_identity=shown.full),
                           kind_name=registry.kind_name, risk=registry.risk_setting(s, child, changes),
                           school=s.get(Unit, child.school_unit_id) if child.school_unit_id else None,
                           may_edit=scope.may_write(current_user, child.region_code), codes=codes)


def _file_rows(entries, opened: scope.OpenedFile) -> list[tuple]:
    """The page's entries as the template shows them (kind, when, title, the document's link, procedure,
    author or None): each value read once here rather than through attribute chains per row there."""
    procedures = {c.id: c.definition.name for c in opened.cases}
    rows = []
    for e in entries:
        case_id, author = e.case_id, e.author
        procedure = "" if case_id is None else procedures.get(case_id) or e.case.definition.name
        link = url_for("cases.document", case_id=case_id, entry_id=e.id) \
            if e.kind == "document" and case_id in opened.readable else None
        rows.append((e.kind, format_dt(e.created_at), e.title, link, procedure,
                     author.display_name if author is not None else None))
    return rows


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
    return jsonify(diagram_of(s, case, ran_steps(engine(), case)))
