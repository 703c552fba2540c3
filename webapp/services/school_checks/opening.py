"""Opening the school checks in bulk, keeping them with the child's school, and watching due dates.

From 1 September until the check's due date (1 September + the `school_check` setting's `lead`,
default two months: 31 October) every registered child under 18 whose school is an active unit
and who has no running psychological referral gets one check for the school year: one
``INSERT … SELECT`` (ON CONFLICT DO NOTHING on PostgreSQL, NOT EXISTS elsewhere) against the
unique (child, school year). A full sweep runs once a China day (a `roster_runs` marker); in
between only children registered since (a range of ids). The sweep also cancels the open checks of
children who turned 18 or have no active school any more, and moves open checks to the child's
current school (the flush that changes the school already does; bulk writes are caught here).
"""
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from ...engine import Engine
from ...engine.clock import end_of_day, local_date
from ...models import (Case, CaseFileEntry, Child, Notification, ProcessDefinition, RosterRun, SchoolCheck, Unit,
                       region_at_level)
from .. import audit, organisation
from ..monitoring import shift
from ..roster import light_tasks
from ..roster.opening import adult_cutoff

PROCESS_ID = "psych_referral"
SETTING = "school_check"
YEAR_STARTS = (9, 1)  # the school year begins on 1 September
SEEN = "school_checks_seen"  # the highest child id the daily sweep has opened checks for


def school_year(day: date) -> int:
    """The calendar year the school year containing `day` began in."""
    return day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1


def year_starts(year: int) -> date:
    return date(year, *YEAR_STARTS)


def due_of(engine: Engine, year: int) -> datetime:
    """The end of the last day to record the year's check (deployment setting `school_check.lead`)."""
    return end_of_day(shift(year_starts(year), engine.settings.kind(SETTING).lead) - timedelta(days=1))


def title_of(year: int) -> str:
    return f"学校年度心理健康监测（{year}—{year + 1} 学年）"


def pupil(today: date):
    """A child who gets a check today: under 18 (or age unknown), at an active school."""
    active_school = exists().where(Unit.id == Child.school_unit_id, Unit.active.is_(True))
    return and_(Child.school_unit_id.is_not(None), active_school,
                or_(Child.birth_date.is_(None), Child.birth_date > adult_cutoff(today)))


def referral_running():
    return exists().where(Case.child_id == Child.id, Case.status == "running",
                          Case.definition_id == ProcessDefinition.id, ProcessDefinition.process_id == PROCESS_ID)


def open_school_checks(session: Session, engine: Engine, now) -> int:
    """Open this school year's missing checks (daily sweep; children registered since, in between)."""
    today = local_date(now)
    year = school_year(today)
    due = due_of(engine, year)
    if now > due:
        return 0  # past the year's due date: a pupil registered later waits for next September
    key = f"school_checks:{today.isoformat()}"
    seen = session.get(RosterRun, SEEN) or RosterRun(key=SEEN, ran_at=now, count=0)
    newest = session.scalar(select(func.max(Child.id))) or 0
    swept = session.get(RosterRun, key) is not None
    if swept and newest <= seen.count:
        return 0
    opened = open_checks(session, now, year, due, after_id=seen.count if swept else None)
    seen.count, seen.ran_at = newest, now
    session.add(seen)
    if not swept:
        left = light_tasks.cancel_departed(session, SchoolCheck, pupil(today))
        light_tasks.follow_child(session, SchoolCheck.unit_id, Child.school_unit_id)  # bulk writes the flush missed
        session.add(RosterRun(key=key, ran_at=now, count=opened))
        if opened or left:
            audit.record(session, now, None, "school_check.open", None,
                         {"opened": opened, "cancelled": left, "school_year": year})
    session.flush()
    return opened


def open_checks(session: Session, now, year: int, due: datetime, after_id: int | None = None) -> int:
    """One INSERT … SELECT: a check for every pupil without one this year and no referral running."""
    table = SchoolCheck.__table__
    columns = ["child_id", "school_year", "unit_id", "starts_on", "due", "state", "created_at"]
    chosen = select(Child.id, literal(year), Child.school_unit_id, literal(year_starts(year), table.c.starts_on.type),
                    literal(due, table.c.due.type), literal("open"), literal(now, table.c.created_at.type)
                    ).where(pupil(local_date(now)), ~referral_running())
    if after_id is not None:
        chosen = chosen.where(Child.id > after_id)
    if session.get_bind().dialect.name == "postgresql":
        statement = pg_insert(table).from_select(columns, chosen).on_conflict_do_nothing(
            constraint="uq_school_checks_child_year")
    else:
        statement = insert(table).from_select(columns, chosen.where(~exists().where(
            SchoolCheck.child_id == Child.id, SchoolCheck.school_year == year)))
    result = session.execute(statement.execution_options(preserve_rowcount=True))
    return max(result.rowcount or 0, 0)


# -- due dates -------------------------------------------------------------------------------
def escalate_school_checks(session: Session, engine: Engine, now) -> int:
    """Mark every open check past due once, note it on the child's file, tell each county's education bureau."""
    overdue = and_(SchoolCheck.state == "open", SchoolCheck.escalated_at.is_(None), SchoolCheck.due < now)
    groups = session.execute(select(SchoolCheck.unit_id, SchoolCheck.school_year, func.count())
                             .where(overdue).group_by(SchoolCheck.unit_id, SchoolCheck.school_year)).all()
    if not groups:
        return 0
    for year in {year for _u, year, _n in groups}:
        session.execute(insert(CaseFileEntry.__table__).from_select(
            ["child_id", "kind", "title", "created_at"],
            select(SchoolCheck.child_id, literal("event"), literal(f"逾期未办：{title_of(year)}"),
                   literal(now, CaseFileEntry.__table__.c.created_at.type))
            .where(overdue, SchoolCheck.school_year == year)))
    schools = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_({u for u, _y, _n in groups})))}
    counties: dict[str, list[tuple[str, int]]] = {}
    for unit_id, _year, count in groups:
        unit = schools[unit_id]
        counties.setdefault(region_at_level(unit.region_code, "county"), []).append((unit.name, count))
    names = organisation.region_names(session, set(counties))
    for county, late in sorted(counties.items()):
        total = sum(n for _s, n in late)
        shown = "、".join(f"{school} {n} 名" for school, n in late[:5]) + ("等" if len(late) > 5 else "")
        message = (f"逾期提醒：{names.get(county, county)}有 {total} 名学生的学校年度心理健康监测逾期未办"
                   f"（{shown}），请督促学校落实。")
        session.add(Notification(kind="school_overdue", recipient=None, department="education", office_region=county,
                                 message=message[:2000], created_at=now))
        audit.record(session, now, None, "school_check.overdue", f"region:{county}", {"count": total})
    result = session.execute(update(SchoolCheck).where(overdue).values(escalated_at=now)
                             .execution_options(synchronize_session=False))
    return max(result.rowcount or 0, 0)
