"""A child moves (issue 14.5): civil affairs records a new residence, and the work follows the child.

The open tasks of the child's running cases that are routed by place (to the office of the case's
region at the lane's level) move to the new place's offices, and lose their holder (an official
of the old office can no longer act). Tasks routed to a unit chosen in the case's data stay with
it: the agreement names that institution, the hospital still treats the child. The case and the
task rows' copies of its region change with it, the active monitoring plans visit the new place,
and both sides are told (an office-wide notice) and the child's file says what moved. What the old
offices did stays theirs to read: completed tasks keep their office (`access.can_view_case`).
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (LEVELS, Case, CaseFileEntry, Child, HumanTask, MonitoringPlan, Notification, Region, RosterTask,
                      User, level_of, region_at_level)
from ..models.org import jurisdiction_prefix
from . import audit, organisation
from .cases.casefile import office_label
from .cases.saving import lock_case
from .errors import Forbidden, Invalid
from .registry.scope import readable_child

LEAD_DEPARTMENT = "civil_affairs"


@dataclass
class Move:
    child_id: int
    old_region: str
    new_region: str
    cases: list[int] = field(default_factory=list)
    moved_tasks: list[int] = field(default_factory=list)
    kept_tasks: list[int] = field(default_factory=list)  # routed to a chosen unit: they stay
    plans: list[int] = field(default_factory=list)
    roster_tasks: list[int] = field(default_factory=list)  # the child director's open contacts and visits


def may_record(user: User, child: Child) -> bool:
    """Civil affairs whose jurisdiction covers the child's current residence records a move.

    Not the office of the new place: an office that keeps reading a case it once worked on (after
    the child moved away) could otherwise pull the child, the open work and the file into its own
    jurisdiction."""
    office = user.office
    if office is None or user.unit_id is not None or office.department_code != LEAD_DEPARTMENT:
        return False
    return child.region_code.startswith(jurisdiction_prefix(office.region_code, office.level))


def may_move_to(user: User, new_region: str) -> bool:
    """Across counties: the old county's civil affairs hands the child over to any place (the
    receiving side is told); a city or province office moves a child only between places it
    oversees both of. Assumes `may_record` already holds."""
    office = user.office
    if LEVELS.index(office.level) >= LEVELS.index("county"):
        return True
    return new_region.startswith(jurisdiction_prefix(office.region_code, office.level))


def child_to_move(session: Session, child_id, user: User) -> Child:
    """The registered child `user` may read (with or without a case: `registry.scope`), to move it or
    change its school; whether they may is the action's own check."""
    return readable_child(session, user, child_id)[0]


def _new_region(session: Session, child: Child, code) -> Region:
    if not isinstance(code, str) or not (len(code) == 12 and code.isascii() and code.isdigit()):
        raise Invalid({"region": "新居住地须为 12 位数字的行政区划代码"})
    region = session.get(Region, code)
    if region is None:
        raise Invalid({"region": f"行政区划“{code}”不存在"})
    if level_of(code) != "village":
        raise Invalid({"region": "新居住地须为村（社区）一级的行政区划"})
    if code == child.region_code:
        raise Invalid({"region": "新居住地与现居住地相同"})
    return region


def record_move(session: Session, child: Child, new_region_code, by: User, now) -> Move:
    """Record the child's new residence and re-route the open place-routed work (see the module)."""
    if not may_record(by, child):
        raise Forbidden("只有儿童现居住地的民政部门可以登记迁居")
    region = _new_region(session, child, new_region_code)
    if not may_move_to(by, region.code):
        raise Forbidden("跨辖区迁居须由儿童现居住地的县级民政部门，或同时管辖迁出地和迁入地的上级民政部门登记")
    move = Move(child.id, child.region_code, region.code)
    told: dict[tuple[str, str], None] = {}
    running = session.scalars(select(Case).where(Case.child_id == child.id, Case.status == "running")
                              .order_by(Case.id)).all()
    for case in running:
        case = lock_case(session, case.id)  # a completion of the case meanwhile waits, or we wait for it
        case.region_code = region.code
        move.cases.append(case.id)
        for task in session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)):
            task.case_region = region.code
            if task.state != "open":
                continue
            if task.unit_id is not None:
                move.kept_tasks.append(task.id)
                continue
            new_office = region_at_level(region.code, task.level)
            if new_office == task.office_region:
                continue
            told[(task.department, task.office_region)] = None
            told[(task.department, new_office)] = None
            task.office_region = new_office
            task.claimed_by_id = None
            move.moved_tasks.append(task.id)
    for plan in session.scalars(select(MonitoringPlan).where(MonitoringPlan.child_id == child.id,
                                                             MonitoringPlan.status == "active")):
        plan.region_code = region.code
        move.plans.append(plan.id)
    for item in session.scalars(select(RosterTask).where(RosterTask.child_id == child.id, RosterTask.state == "open")
                                .order_by(RosterTask.id)):
        item.office_region = region.code  # at once, not at the next daily sweep (roster/light_tasks.py:follow_child)
        move.roster_tasks.append(item.id)
    old_name, new_name = _place(session, child.region_code), _place(session, region.code)
    child.region_code = region.code
    for side in (move.old_region, move.new_region):  # the lead offices of both counties hear of it
        told[(LEAD_DEPARTMENT, region_at_level(side, "county"))] = None
    message = (f"迁居通知：儿童 {child.name} 由{old_name}迁至{new_name}；"
               f"{len(move.moved_tasks)} 项待办任务已转至新居住地的承办单位。")
    for department, office_region in told:
        session.add(Notification(kind="move", recipient=None, department=department, office_region=office_region,
                                 case_id=move.cases[0] if move.cases else None, child_id=child.id, message=message,
                                 created_at=now))
    detail = {"from": move.old_region, "to": move.new_region, "cases": move.cases, "moved_tasks": move.moved_tasks,
              "kept_tasks": move.kept_tasks, "plans": move.plans, "roster_tasks": move.roster_tasks,
              "told": [office_label(session, d, r) for d, r in told]}
    session.add(CaseFileEntry(child=child, case=None, kind="event", title=f"迁居：由{old_name}迁至{new_name}",
                              data=detail, author_id=by.id, office_id=by.office_id, created_at=now))
    audit.record(session, now, by, "child.move", f"child:{child.id}", detail, child_id=child.id)
    session.flush()
    return move


def _place(session: Session, code: str) -> str:
    """A region named with its township and county (e.g. 岳麓区望月湖街道金华社区)."""
    names = organisation.region_names(session, {region_at_level(code, lv) for lv in ("county", "township", "village")})
    return "".join(names.get(region_at_level(code, lv), "") for lv in ("county", "township", "village")) or code
