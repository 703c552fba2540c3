"""The county finance office's payment ledger of basic living support: a page per month and its CSV."""
from datetime import date

from flask import Blueprint, Response, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..services import living, tasklists
from ..services.errors import ServiceError
from .common import now, remote_addr, require_login, session
from .errors import service_error_page
from .params import day, web_page

bp = Blueprint("living", __name__, url_prefix="/living")
bp.before_request(require_login)


def _month(months: list[date]) -> date | None:
    """The month asked for (YYYY-MM), else the newest with payments; a malformed one is said, not a 500."""
    raw = (request.args.get("month") or "").strip()
    if raw:
        month = day(f"{raw}-01") if len(raw) == 7 else None  # 1900-01 … 9998-12: the next month exists
        if month is not None:
            return month
        flash(_("The month must be written as YYYY-MM, e.g. 2027-06; showing the latest month."), "error")
    return months[0] if months else None


@bp.app_template_global()
def category_title(code: str) -> str:
    return living.CATEGORY_TITLES.get(code, code)


@bp.app_template_global()
def sees_living_ledger() -> bool:
    """For the navigation: county (or higher) civil affairs keep the payment ledger."""
    office = getattr(current_user, "office", None)
    return bool(office and office.department_code == "civil_affairs" and office.level in ("county", "city", "province"))


@bp.get("/payments")
def payments():
    s = session()
    page, per_page = web_page()
    try:
        months = living.ledger_months(s, current_user)
        month = _month(months)
        rows, total, total_fen = living.county_payments(s, current_user, month, per_page, (page - 1) * per_page) \
            if month else ([], 0, 0)
    except ServiceError as err:
        return service_error_page(err)
    listed = tasklists.Page(rows, page, per_page, total)
    return render_template("living/payments.html", months=months, month=month, listed=listed, rows=rows,
                           total=total, total_yuan=f"{total_fen / 100:.2f}",
                           args={"month": f"{month:%Y-%m}"} if month else {})


@bp.get("/payments.csv")
def payments_csv():
    s = session()
    try:
        month = _month(living.ledger_months(s, current_user))
        if month is None:
            return service_error_page(ServiceError(_("There are no payments to export yet.")))
        text = living.export_csv(s, current_user, month, now(), remote_addr())
        s.commit()
    except ServiceError as err:
        return service_error_page(err)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="living-payments-{month:%Y-%m}.csv"'})
