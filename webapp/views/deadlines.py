"""Deadlines in the web UI: the overdue view per department and place, and the notices.

The task list itself (due column, overdue in red, sort by due, "overdue only") is the tasks
blueprint's; this one adds the supervisor's view across offices and the case page's
monitoring plans (a template global, so the case page needs no extra view code).
"""
from flask import Blueprint, flash, g, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import settings
from ..catalog import DEPARTMENTS
from ..models import Case, MonitoringPlan, MonitoringVisit
from ..services import deadlines, monitoring, supervision, tasklists
from ..services.errors import ServiceError
from .common import back, now, require_login, session
from .errors import service_error_page
from .params import web_page

bp = Blueprint("deadlines", __name__)
bp.before_request(require_login)


NOTICES_SHOWN = 50


@bp.get("/overdue")
def overdue():
    s = session()
    department = request.args.get("department") or None
    region = (request.args.get("region") or "").strip() or None
    moment = now()
    page, per_page = web_page()
    try:
        groups = deadlines.overdue_summary(s, current_user, moment, department, region)
        listed = deadlines.overdue_page(s, current_user, moment, department, region, page, per_page,
                                        total=sum(group.count for group in groups), columns=tasklists.ROW_COLUMNS)
        if not department and not region:
            g.overdue_count = listed.total  # the badge shows the same count: not asked twice
    except ServiceError as err:
        flash(err.message, "error")
        groups, listed = [], tasklists.Page([], 1, per_page, 0)
    tasks = listed.items
    notices = s.scalars(deadlines.notifications_query(current_user).limit(NOTICES_SHOWN)).all()
    if len(notices) < NOTICES_SHOWN:  # every notice is here: the badge's unread counted from them, not asked
        g.unread_count = sum(1 for notice in notices if notice.read_at is None)
    departments = [(code, name) for code, (name, _levels) in DEPARTMENTS.items() if code != "guardian"]
    args = {"department": department, "region": region,
            "per_page": per_page if per_page != tasklists.PER_PAGE else None}
    return render_template("deadlines/overdue.html", groups=groups, tasks=tasks, listed=listed, args=args,
                           notices=notices, links=supervision.notice_links(s, current_user, notices), departments=departments, department=department or "",
                           region=region or "")


@bp.post("/notifications/<int:notice_id>/read")
def read_notice(notice_id):
    s = session()
    try:
        deadlines.mark_read(s, current_user, notice_id, now())
        s.commit()
    except ServiceError as err:
        return service_error_page(err)
    return back(url_for("deadlines.overdue"))


@bp.app_template_filter("cadence")
def _cadence(value: str) -> str:
    return settings.describe(value)


@bp.app_template_global()
def unread_notices() -> int:
    """For the navigation: how many notices the user has not read."""
    if not current_user.is_authenticated:
        return 0
    if "unread_count" not in g:
        counts_with_navigation(session())
    return g.unread_count


def counts_with_navigation(s, **queries) -> dict[str, int]:
    """`tasklists.counts` of a page's own `queries`, with the navigation's badges (overdue tasks, unread
    notices) asked in the same statement and kept for `overdue_tasks` and `unread_notices`; those
    the page already counted (the overdue view's total and notices) are not asked again."""
    nav = {}
    if "unread_count" not in g:
        nav["unread_count"] = deadlines.unread_count_query(current_user)
    if "overdue_count" not in g:
        nav["overdue_count"] = deadlines.overdue_count_query(current_user, now())
    found = tasklists.counts(s, **queries, **nav)
    for name in nav:
        setattr(g, name, found.pop(name))
    return found


@bp.app_template_filter("badge")
def _badge(count: int) -> str:
    """A badge's number: counted up to `deadlines.BADGE_CAP`, more is said "99+"."""
    return f"{deadlines.BADGE_CAP}+" if count > deadlines.BADGE_CAP else str(count)


@bp.app_template_global()
def overdue_tasks() -> int:
    """For the navigation's badge: the overdue tasks the overdue page lists (the same query)."""
    if not current_user.is_authenticated:
        return 0
    if "overdue_count" not in g:
        counts_with_navigation(session())
    return g.overdue_count


@bp.app_template_global()
def monitoring_of(case: Case) -> dict:
    """For the case page: the plans this case opened, or the plan and cycle this visit belongs to."""
    s = session()
    plans = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case.id)
                      .order_by(MonitoringPlan.id)).all()
    visit = s.scalars(select(MonitoringVisit).where(MonitoringVisit.case_id == case.id)).first()
    return {"plans": [(p, monitoring.visits_of(s, p)) for p in plans], "visit": visit}
