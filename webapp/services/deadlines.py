"""Deadlines: tasks past their due date are escalated once, and listed per department and place.

A task's due date comes from its diagram (`dueIn`, `dueAt` or a boundary timer, see the
engine). When it passes with the task still open, the `escalation` job marks the task
(`escalated_at`), tells the office's supervisor (a notification), writes the audit log and
the child's file. It runs with every scheduler run and is idempotent: the mark is set with a
conditional UPDATE, so two schedulers never notify twice.

Who is told: the supervisors of the task's department whose jurisdiction covers the office;
where that department has none, the supervisors of county/city civil affairs over the
child's place (the lead department of every procedure, POLICY.md); where there is none
either, every official of the office itself.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Select, false, func, or_, select, update
from sqlalchemy.orm import Session

from ..catalog import department_name, office_called
from ..engine import Engine
from ..engine.clock import LOCAL_TZ
from ..models import Case, HumanTask, Notification, Office, Region, User, level_of
from ..models.case import NO_DUE
from ..models.org import jurisdiction_prefix
from . import audit, cases, routing, tasklists
from .errors import Forbidden, Invalid, NotFound
from .tasklists_merge import wide_counties

LEAD_DEPARTMENT = "civil_affairs"


def escalate_overdue(session: Session, engine: Engine, now) -> int:
    """Mark, notify and record every open task whose due date has passed; returns how many."""
    overdue = session.scalars(
        select(HumanTask).join(Case, Case.id == HumanTask.case_id)
        .where(HumanTask.state == "open", HumanTask.due < now, HumanTask.escalated_at.is_(None),
               Case.status == "running")
        .order_by(HumanTask.due, HumanTask.id)).all()
    escalated = 0
    for task in overdue:
        claimed = session.execute(
            update(HumanTask).where(HumanTask.id == task.id, HumanTask.escalated_at.is_(None))
            .values(escalated_at=now).execution_options(synchronize_session="fetch"))
        if claimed.rowcount != 1:
            continue  # another scheduler got there first
        escalated += 1
        _notify(session, task, now)
    session.flush()
    return escalated


def _notify(session: Session, task: HumanTask, now) -> None:
    office = cases.office_label(session, task.department, task.office_region)
    due = task.due.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    message = (f"逾期提醒：{office}的任务“{task.title}”（儿童 {task.case.child.name}，"
               f"{task.case.definition.name}，案件 {task.case_id}）应于 {due} 前办理，至今未办结。")
    recipients = supervisors_for(session, task)
    for user in recipients or [None]:
        session.add(Notification(kind="overdue", recipient=user, department=task.department,
                                 office_region=task.office_region, task_id=task.id, case_id=task.case_id,
                                 message=message, created_at=now))
    names = [u.username for u in recipients]
    audit.record(session, now, None, "task.overdue", f"task:{task.id}",
                 {"case": task.case_id, "name": task.name, "due": task.due.isoformat(), "notified": names or [office]})
    cases.note_on_file(session, task.case, f"任务逾期：{task.title}", now,
                       data={"office": office, "due": due, "notified": [u.display_name for u in recipients] or [office]})


def supervisors_for(session: Session, task: HumanTask) -> list[User]:
    """The supervisors to tell about `task` (empty: tell the office itself)."""
    supervisors = session.scalars(
        select(User).join(Office, Office.id == User.office_id)
        .where(User.role == "supervisor", User.active, Office.department_code == task.department)
        .order_by(User.id)).all()
    covering = [u for u in supervisors if routing.can_act(u, task)]
    if covering:
        return covering
    leads = session.scalars(
        select(User).join(Office, Office.id == User.office_id)
        .where(User.role == "supervisor", User.active, Office.department_code == LEAD_DEPARTMENT)
        .order_by(User.id)).all()
    return [u for u in leads
            if task.case.region_code.startswith(jurisdiction_prefix(u.office.region_code, u.office.level))]


# -- reading: the overdue view and notifications ---------------------------------------------
def overdue_query(user: User, now, department: str | None = None, region: str | None = None,
                  county: str | None = None) -> Select:
    """Open tasks past due that `user` oversees, optionally of one department / under one region.

    Officials and supervisors see what their task list shows; civil affairs, the lead
    department, sees every department's overdue tasks in its jurisdiction; an administrator
    sees all. `county`: only the share in that county of a wide jurisdiction (`overdue_page`).
    """
    office = user.office
    if user.is_admin and office is None:
        query = select(HumanTask).where(HumanTask.state == "open")
    elif office is not None and office.department_code == LEAD_DEPARTMENT:
        prefix = jurisdiction_prefix(office.region_code, office.level)
        place = (HumanTask.case_county == county if county is not None
                 else routing.in_jurisdiction(HumanTask.case_region, HumanTask.case_county, prefix))
        query = select(HumanTask).where(HumanTask.state == "open", place)
    else:  # dated only, said in the task lists' index terms (`due IS NULL` leads their due date)
        query = routing.visible_tasks(user, county).where(NO_DUE == false())
    query = query.where(HumanTask.due < now)
    if department:
        query = query.where(HumanTask.department == department)
    if region:
        if not (len(region) == 12 and region.isdigit()):
            raise Invalid({"region": "行政区划代码应为 12 位数字"})
        query = query.where(routing.within(HumanTask.office_region, jurisdiction_prefix(region, level_of(region))))
    return query


@dataclass(frozen=True)
class OverdueGroup:
    department: str
    department_name: str
    office_region: str
    office: str
    count: int
    oldest_due: datetime


def overdue_summary(session: Session, user: User, now, department: str | None = None,
                    region: str | None = None) -> list[OverdueGroup]:
    """Overdue tasks counted per department and office (region), the longest overdue first."""
    # Only the grouped columns: the count is read from the index, never from the task rows; each
    # group's office and place names looked up in the same statement (`cases.office_label`'s names).
    grouped = (overdue_query(user, now, department, region)
               .with_only_columns(HumanTask.department, HumanTask.office_region, func.count().label("n"),
                                  func.min(HumanTask.due).label("oldest"))
               .group_by(HumanTask.department, HumanTask.office_region).subquery())
    # Joined, not looked up per group: a county's hundred groups each probed the offices and places.
    rows = session.execute(
        select(grouped.c.department, grouped.c.office_region, grouped.c.n, grouped.c.oldest, Office.name, Region.name)
        .select_from(grouped)
        .outerjoin(Office, (Office.department_code == grouped.c.department) & (Office.region_code == grouped.c.office_region))
        .outerjoin(Region, Region.code == grouped.c.office_region)).all()
    groups = [OverdueGroup(d, department_name(d), r, office_called(d, place or r, office), n, _aware(oldest))
              for d, r, n, oldest, office, place in rows]
    return sorted(groups, key=lambda g: (g.oldest_due, g.department, g.office_region))


# The navigation's badges count this far and say "99+" beyond: every page of a county's officials
# counted its thousands of overdue tasks (a province's tens of thousands) for a number in a badge.
BADGE_CAP = 99


def overdue_count_query(user: User, now) -> Select:
    """How many tasks the overdue view lists, up to `BADGE_CAP` + 1 (the navigation's badge): counted
    on the index, with no grouping and no office names, stopping past the cap."""
    listed = overdue_query(user, now).with_only_columns(HumanTask.id).order_by(None).limit(BADGE_CAP + 1)
    return select(func.count()).select_from(listed.subquery())


def overdue_page(session: Session, user: User, now, department: str | None = None, region: str | None = None,
                 page: int = 1, per_page: int = tasklists.PER_PAGE, total: int | None = None,
                 columns: tuple = tasklists.ROW_COLUMNS) -> tasklists.Page:
    """One page of the overdue tasks of `overdue_query`, the longest overdue first. `total`, when the
    caller has it (the summary's counts add up to it), spares counting the same rows twice; `columns`
    as `tasklists.paginate`'s."""
    office, parts = user.office, None
    if office is not None and not region and (office.department_code == LEAD_DEPARTMENT or user.is_supervisor):
        # a city's or province's view: its counties read in due order and merged (`tasklists_merge`)
        counties = wide_counties(session, jurisdiction_prefix(office.region_code, office.level))
        parts = [overdue_query(user, now, department, None, county) for county in counties] if counties else None
    return tasklists.paginate(session, overdue_query(user, now, department, region), (HumanTask.due, HumanTask.id),
                              page, per_page, total=total, parts=parts, columns=columns)


def _aware(value: datetime) -> datetime:
    """Aggregates bypass the column type: SQLite hands back naive UTC (or a string)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def notifications_query(user: User) -> Select:
    """Notices for `user`, and those for their whole office."""
    mine = Notification.recipient_id == user.id
    if user.office is None:
        return select(Notification).where(mine).order_by(Notification.created_at.desc(), Notification.id.desc())
    office_wide = (Notification.recipient_id.is_(None) & (Notification.department == user.office.department_code)
                   & (Notification.office_region == user.office.region_code))
    return select(Notification).where(or_(mine, office_wide)).order_by(Notification.created_at.desc(),
                                                                         Notification.id.desc())


def unread_count_query(user: User) -> Select:
    """How many of `user`'s notices are unread, up to `BADGE_CAP` + 1 (the navigation's other badge)."""
    sub = (notifications_query(user).with_only_columns(Notification.id).where(Notification.read_at.is_(None))
           .order_by(None).limit(BADGE_CAP + 1).subquery())
    return select(func.count()).select_from(sub)


def mark_read(session: Session, user: User, notification_id: int, now) -> Notification:
    notice = session.get(Notification, notification_id) if isinstance(notification_id, int) else None
    if notice is None:
        raise NotFound("通知不存在")
    if notice not in session.scalars(notifications_query(user).where(Notification.id == notification_id)).all():
        raise Forbidden("这不是您的通知")
    notice.read_at = notice.read_at or now
    session.flush()
    return notice
