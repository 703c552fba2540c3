"""The roster a page at a time: the child director's (走访名册), the township's and the county's.

The village's list reads the children who live there now (`children.region_code`, indexed)
and their tasks through the unique (child, kind, period) index, so it is exact at once after
a move and never shows a child who left the roster. A township or a county reads
`ix_roster_tasks_office_due` as a range of village codes, in index order (village, then
soonest due) up to the page's LIMIT: no sort of a county's hundred thousand rows.
"""
import re
from datetime import date, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, joinedload

from ...engine.clock import add_months, end_of_day, local_date, start_of_day
from ...models import Child, Region, RosterTask, User
from ...models.org import jurisdiction_prefix
from ...models.roster import ROSTER_STATES
from .. import routing
from ..errors import Forbidden, Invalid
from ..registry.paging import CappedPage, capped_count
from .opening import on_roster
from .recording import READERS

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
STATES = ROSTER_STATES + ("all",)


def scope(user: User) -> str:
    """`village` (the child director's own roster), `area` (a township or county over villages)."""
    office = user.office
    if office is not None and office.department_code == "village" and not user.is_supervisor:
        return "village"
    if office is not None and (office.department_code in READERS or office.department_code == "village"):
        return "area"
    raise Forbidden("只有儿童主任、乡镇（街道）和民政部门可以查看走访名册")


def period_window(period: str | None, today: date) -> tuple[date, date] | None:
    """`YYYY-MM` (tasks whose period overlaps that month) or `current` (overlapping today)."""
    if period in (None, ""):
        return None
    if period == "current":
        return today, today
    match = MONTH.match(period) if isinstance(period, str) else None
    if match is None:
        raise Invalid({"period": "应为年月（如 2027-03）或 current"})
    first = date(int(match.group(1)), int(match.group(2)), 1)
    return first, add_months(first, 1) - timedelta(days=1)


def roster_query(session: Session, user: User, now, state: str = "open", period: str | None = None,
                 overdue: bool = False, kind: str | None = None) -> tuple[Select, tuple]:
    """The roster tasks `user` sees (ids only), filtered, and the order to read them in."""
    if state not in STATES:
        raise Invalid({"state": f"应为 {', '.join(STATES)} 之一"})
    if kind not in (None, "", "contact", "visit"):
        raise Invalid({"kind": "应为 contact 或 visit"})
    today = local_date(now)
    office = user.office
    query = select(RosterTask.id)
    # One seek of `ix_roster_tasks_office_due` per place, read in the list's order up to the LIMIT (no
    # sort): a task's `office_region` follows the child's residence on the write that moves it.
    if scope(user) == "village":
        # ...and only the children on the roster today (18 today, or no category any more: gone at once,
        # before the daily sweep cancels their tasks), checked in the index against this village's ids.
        # `child_id + 0`: a membership test, never the way in (with ANALYZE statistics SQLite would
        # otherwise seek each child's tasks and sort them).
        query = query.where(RosterTask.office_region == office.region_code, (RosterTask.child_id + 0).in_(
            select(Child.id).where(Child.region_code == office.region_code, on_roster(today))))
    else:
        prefix = jurisdiction_prefix(office.region_code, office.level)
        # The places as a list (regions under the prefix), not a range of codes: a range would be read
        # whole for a filter such as overdue, a list seeks (state, place, due) once per place.
        query = query.where(RosterTask.office_region.in_(select(Region.code).where(routing.within(Region.code, prefix))))
    order = (RosterTask.office_region, RosterTask.due, RosterTask.id)
    query = query.where(RosterTask.state.in_(ROSTER_STATES) if state == "all" else RosterTask.state == state)
    if kind:
        query = query.where(RosterTask.kind == kind)
    window = period_window(period, today)
    if window is not None:
        query = query.where(RosterTask.starts_on <= window[1], RosterTask.due >= start_of_day(window[0]))
    if overdue:
        query = query.where(RosterTask.state == "open", RosterTask.due < now)
    return query, order


# A county's list counts at most COUNT_CAP (a LIMIT inside the count): beyond it the page says
# "more than", and reading a county's 190 000 open tasks to count them is not paid per page.
RosterPage = CappedPage


def roster_page(session: Session, user: User, now, *, state: str = "open", period: str | None = None,
                overdue: bool = False, kind: str | None = None, page: int = 1, per_page: int = 50) -> "RosterPage":
    """One page: the ids in index order with a LIMIT, then those rows and their children; the
    total counted up to `COUNT_CAP` (an index range read that stops there)."""
    query, order = roster_query(session, user, now, state, period, overdue, kind)
    total, capped = capped_count(session, query)
    ids = session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page)).all()
    rows = {t.id: t for t in session.scalars(
        select(RosterTask).where(RosterTask.id.in_(ids)).options(joinedload(RosterTask.child).load_only(
            Child.id, Child.name, Child.region_code, Child.risk_grade, Child.categories, Child.birth_date)))}
    return RosterPage([rows[i] for i in ids], page, per_page, total, capped)


def counts(session: Session, user: User, now) -> dict:
    """The child director's headline: open, overdue, and done of the tasks due this month or later,
    each one range of the index (a village's years of history are not read)."""
    month_start = start_of_day(local_date(now).replace(day=1))
    open_query, _order = roster_query(session, user, now, "open")
    done_query, _order = roster_query(session, user, now, "completed")
    # Open and overdue in one read of the open range (`due` is in the index): each statement re-reads
    # the village's roster children for its membership test, so one fewer is a fifth of the page's SQL.
    opened = open_query.with_only_columns(RosterTask.id, RosterTask.due).order_by(None).subquery()
    total, late = session.execute(select(func.count(), func.coalesce(func.sum(case((opened.c.due < now, 1), else_=0)), 0))
                                  .select_from(opened)).one()
    done = session.scalar(select(func.count()).select_from(
        done_query.where(RosterTask.due >= month_start).order_by(None).subquery())) or 0
    return {"open": total, "overdue": late, "done_this_month": done}


def due_label(task: RosterTask, now) -> str:
    return "overdue" if task.state == "open" and task.due < now else ("soon" if task.due < end_of_day(local_date(now)) else "")
