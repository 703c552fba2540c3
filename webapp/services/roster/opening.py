"""Opening the roster's tasks in bulk, keeping them with the child, and watching their due dates.

Who is on a village's roster is derived, never enrolled: every child whose residence
(`Child.region_code`) is the village, with at least one category, under 18 (a child whose
birth date is not known yet stays on). So a move needs nothing (the village's list reads the
child's residence), and a child leaves the roster at 18 or when no category applies.

The scheduler job `open_roster` sweeps once a China day (a `roster_runs` marker: the
scheduler runs every minute, and the sweep reads every child; in between it only opens the
periods of children registered since, a range of ids): one set-based
``INSERT … SELECT … WHERE NOT EXISTS`` per (kind, cadence) opens the current period's
tasks for every roster child of the grades that use that cadence; `(child, kind, period)` is
unique, so a second run opens nothing. The same sweep cancels the open tasks of children
who left the roster and moves open tasks to a moved child's new village (`office_region`,
which the township's and county's lists read).

`escalate_roster` runs every time: open tasks past due are marked once, noted on the
child's file, and each village's overdue count goes to the township supervisors over it
(else civil affairs' supervisors over it, the lead department; else the township office).
"""
from datetime import date

from sqlalchemy import Text, and_, cast, exists, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from ...engine import Engine
from ...engine.clock import local_date
from ...models import CaseFileEntry, Child, Notification, Office, RosterRun, RosterTask, User, region_at_level
from ...models.org import jurisdiction_prefix
from .. import audit, organisation
from . import light_tasks
from .periods import DEFAULT_GRADE, KIND_TITLES, current_periods, period_from_key

ADULT_AGE = 18
SEEN = "children_seen"  # the highest child id the sweep has opened periods for (`count`)


def adult_cutoff(today: date) -> date:
    """Children born on or before this day are 18 or older today (born 29 February: 1 March)."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # today is 29 February: those born on 1 March 18 years ago are not yet 18
        return date(today.year - ADULT_AGE, 2, 28)


def on_roster(today: date):
    """The SQL condition for a child on a roster today: a category, and under 18 (or age unknown)."""
    has_category = and_(Child.categories.is_not(None), cast(Child.categories, Text).not_in(["[]", "null"]))
    return and_(has_category, or_(Child.birth_date.is_(None), Child.birth_date > adult_cutoff(today)))


def _grade_condition(grades: list[str]):
    condition = Child.risk_grade.in_(grades)
    return or_(condition, Child.risk_grade.is_(None)) if DEFAULT_GRADE in grades else condition


# -- the daily sweep -----------------------------------------------------------------------
def open_roster(session: Session, engine: Engine, now) -> int:
    """Once a day: open the current periods' tasks, cancel those of children who left, re-home moves."""
    today = local_date(now)
    key = f"sweep:{today.isoformat()}"
    seen = session.get(RosterRun, SEEN) or RosterRun(key=SEEN, ran_at=now, count=0)
    newest = session.scalar(select(func.max(Child.id))) or 0
    if session.get(RosterRun, key) is not None:
        if newest <= seen.count:
            return 0
        opened = open_periods(session, engine, now, after_id=seen.count)  # children registered since: at once
        seen.count, seen.ran_at = newest, now
        session.add(seen)
        session.flush()
        return opened
    opened = open_periods(session, engine, now)
    seen.count, seen.ran_at = newest, now
    session.add(seen)
    left = light_tasks.cancel_departed(session, RosterTask, on_roster(today))
    light_tasks.follow_child(session, RosterTask.office_region, Child.region_code)  # what bulk writes left behind
    session.add(RosterRun(key=key, ran_at=now, count=opened))
    session.flush()
    if opened or left:
        audit.record(session, now, None, "roster.open", None, {"opened": opened, "cancelled": left, "day": today.isoformat()})
    return opened


def open_periods(session: Session, engine: Engine, now, after_id: int | None = None) -> int:
    """Open every current period's missing tasks (for all roster children, or those registered after `after_id`)."""
    today = local_date(now)
    table = RosterTask.__table__
    columns = ["child_id", "kind", "period", "starts_on", "due", "office_region", "state", "created_at"]
    postgres = session.get_bind().dialect.name == "postgresql"
    opened = 0
    for period, grades in current_periods(engine.settings, today):
        chosen = select(Child.id, literal(period.kind), literal(period.key), literal(period.starts_on, table.c.starts_on.type),
                        literal(period.due, table.c.due.type), Child.region_code, literal("open"),
                        literal(now, table.c.created_at.type)).where(on_roster(today), _grade_condition(grades))
        if after_id is not None:
            chosen = chosen.where(Child.id > after_id)
        if postgres:
            # ON CONFLICT, not NOT EXISTS: an anti-join against the table the statement fills is planned
            # on its (empty) statistics as a nested loop over a sequential scan, quadratic at a million.
            statement = pg_insert(table).from_select(columns, chosen).on_conflict_do_nothing(
                constraint="uq_roster_tasks_child_kind_period")
        else:
            statement = insert(table).from_select(columns, chosen.where(~exists().where(
                RosterTask.child_id == Child.id, RosterTask.kind == period.kind, RosterTask.period == period.key)))
        # preserve_rowcount: PostgreSQL reports the count of an INSERT … SELECT only when asked.
        result = session.execute(statement.execution_options(preserve_rowcount=True))
        opened += max(result.rowcount or 0, 0)
    return opened


# -- due dates -------------------------------------------------------------------------------
def escalate_roster(session: Session, engine: Engine, now) -> int:
    """Mark every open roster task past due once, note it on the file, tell the township per village."""
    overdue = and_(RosterTask.state == "open", RosterTask.escalated_at.is_(None), RosterTask.due < now)
    groups = session.execute(select(RosterTask.office_region, RosterTask.kind, RosterTask.period, func.count())
                             .where(overdue).group_by(RosterTask.office_region, RosterTask.kind, RosterTask.period)).all()
    if not groups:
        return 0
    for kind, key in {(kind, key) for _v, kind, key, _n in groups}:
        title = f"走访名册逾期：{period_from_key(kind, key).title}"
        session.execute(insert(CaseFileEntry.__table__).from_select(
            ["child_id", "kind", "title", "created_at"],
            select(RosterTask.child_id, literal("event"), literal(title),
                   literal(now, CaseFileEntry.__table__.c.created_at.type))
            .where(overdue, RosterTask.kind == kind, RosterTask.period == key)))
    villages: dict[str, int] = {}
    for village, _kind, _key, count in groups:
        villages[village] = villages.get(village, 0) + count
    names = organisation.region_names(session, set(villages) | {region_at_level(v, "township") for v in villages})
    for village, count in sorted(villages.items()):
        children = session.scalars(select(Child.name).join(RosterTask, RosterTask.child_id == Child.id)
                                   .where(overdue, RosterTask.office_region == village).order_by(RosterTask.due).limit(5)).all()
        _notify_township(session, village, count, children, names, now)
    result = session.execute(update(RosterTask).where(overdue).values(escalated_at=now)
                             .execution_options(synchronize_session=False))
    return max(result.rowcount or 0, 0)


def _notify_township(session: Session, village: str, count: int, children: list[str], names: dict, now) -> None:
    township = region_at_level(village, "township")
    shown = "、".join(children) + ("等" if count > len(children) else "")
    message = (f"逾期提醒：{names.get(village, village)}儿童主任有 {count} 项联系或入户走访逾期未办"
               f"（儿童：{shown}），请督促落实。")
    recipients = supervisors_over(session, village)
    for user in recipients or [None]:
        session.add(Notification(kind="roster_overdue", recipient=user, department="township", office_region=township,
                                 message=message, created_at=now))
    audit.record(session, now, None, "roster.overdue", f"region:{village}",
                 {"count": count, "notified": [u.username for u in recipients] or [names.get(township, township)]})


def supervisors_over(session: Session, village: str) -> list[User]:
    """The township's supervisors over `village`; else civil affairs' (the lead department); else none."""
    for department in ("township", "civil_affairs"):
        users = session.scalars(select(User).join(Office, Office.id == User.office_id).where(
            User.role == "supervisor", User.active, Office.department_code == department).order_by(User.id)).all()
        covering = [u for u in users if village.startswith(jurisdiction_prefix(u.office.region_code, u.office.level))]
        if covering:
            return covering
    return []


def kind_title(kind: str) -> str:
    return KIND_TITLES[kind]
