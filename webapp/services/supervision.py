"""Supervisors act (issue 14.4): who may open a task beyond its own office, who may reassign it,
and to whom.

`routing.can_act` decides who acts on a task: its office or unit, and a supervisor of its
department over the office's place (units included). Two things go further, and only here:

- civil affairs leads every procedure (POLICY.md): its supervisor is told about overdue tasks of
  departments that have no supervisor of their own (`deadlines.supervisors_for`); it may open
  every task it was told about and reassign it within that department and its jurisdiction;
- a supervisor reassigns a place-routed task to any official of the task's department, at the
  same level, in the supervisor's jurisdiction: the task moves to that official's office. A task
  routed to a unit chosen in the case's data stays with that unit (the agreement names one party
  and that party signs, hunan §三.2): it is reassigned among the unit's officials.

Every reassignment is audited (`task.reassign`, with the holders and offices before and after)
and a move to another office is noted on the child's file.
"""
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import AuditEntry, HumanTask, Notification, Office, User, level_of, region_at_level
from ..models.org import jurisdiction_prefix
from . import audit, organisation, routing
from .cases.casefile import note_on_file, task_office
from .errors import Conflict, Forbidden, Invalid, NotFound
from .registry.scope import readable_child

LEAD_DEPARTMENT = "civil_affairs"


def notified_lead(session: Session, user: User, task: HumanTask) -> bool:
    """`user` is a lead-department supervisor who was told that `task` is overdue."""
    office = user.office
    if not user.is_supervisor or office is None or office.department_code != LEAD_DEPARTMENT:
        return False
    return session.scalar(select(Notification.id).where(
        Notification.recipient_id == user.id, Notification.task_id == task.id,
        Notification.kind == "overdue").limit(1)) is not None


def can_open(session: Session, user: User, task: HumanTask) -> bool:
    """Who may open a task's page: who may act on it, and the lead supervisor notified of it."""
    return routing.can_act(user, task) or notified_lead(session, user, task)


def _jurisdiction(user: User) -> str:
    return jurisdiction_prefix(user.office.region_code, user.office.level)


def may_reassign(session: Session, user: User, task: HumanTask) -> bool:
    if not user.is_supervisor or user.office is None:
        return False
    if routing.can_act(user, task):
        return True
    return notified_lead(session, user, task)


def targets(session: Session, supervisor: User, task: HumanTask) -> list[User]:
    """The active people `supervisor` may hand `task` to (empty when they may not reassign it)."""
    if task.state != "open" or not may_reassign(session, supervisor, task):
        return []
    query = select(User).join(Office, Office.id == User.office_id).where(
        User.active.is_(True), User.role.in_(("official", "supervisor")), Office.department_code == task.department)
    if task.unit_id is not None:
        return [u for u in session.scalars(query.where(User.unit_id == task.unit_id).order_by(User.id))]
    prefix = _jurisdiction(supervisor)
    level = level_of(task.office_region)
    people = session.scalars(query.where(User.unit_id.is_(None), routing.within(Office.region_code, prefix))
                             .order_by(Office.region_code, User.id)).all()
    return [u for u in people if level_of(u.office.region_code) == level
            and (u.office.region_code == task.office_region or not u.is_supervisor)]


def reassign(session: Session, task_id, supervisor: User, assignee_id: int, now, remote_addr=None) -> HumanTask:
    """Give an open task to `assignee`; to another office of its department if need be."""
    task = session.get(HumanTask, task_id) if isinstance(task_id, int) else None
    if task is None:
        raise NotFound("任务不存在")
    if not can_open(session, supervisor, task):
        raise Forbidden("该任务不属于您所在的单位")
    if not supervisor.is_supervisor:
        raise Forbidden("只有主管可以改派任务")
    if task.state != "open":
        raise Conflict("该任务已办结或已取消，不能改派")
    assignee = session.get(User, assignee_id) if isinstance(assignee_id, int) else None
    if assignee is None or assignee not in targets(session, supervisor, task):
        raise Invalid({"assignee": "改派对象必须是本部门在您辖区内可承办该任务的在职人员"
                                   + ("（该任务由案件选定的单位办理，只能在该单位内改派）" if task.unit_id else "")})
    before = {"holder": task.claimed_by.username if task.claimed_by else None, "office": task_office(session, task)}
    seen = task.claimed_by_id
    values = {"claimed_by_id": assignee.id}
    moves = task.unit_id is None and assignee.office.region_code != task.office_region
    if moves:
        values["office_region"] = assignee.office.region_code
        values["office_county"] = region_at_level(assignee.office.region_code, "county")  # a Core UPDATE: no validator
    result = session.execute(
        update(HumanTask).where(HumanTask.id == task.id, HumanTask.state == "open",
                                HumanTask.claimed_by_id.is_(None) if seen is None else HumanTask.claimed_by_id == seen)
        .values(**values).execution_options(synchronize_session=False))
    session.refresh(task)
    if result.rowcount != 1 and not (task.state == "open" and task.claimed_by_id == assignee.id
                                     and task.office_region == values.get("office_region", task.office_region)):
        raise Conflict("该任务刚被他人认领、释放或办结，未改派，请刷新后再试")
    after = {"holder": assignee.username, "office": task_office(session, task)}
    audit.record(session, now, supervisor, "task.reassign", f"task:{task.id}",
                 {"from": before["holder"], "to": after["holder"], "from_office": before["office"],
                  "to_office": after["office"], "case": task.case_id}, remote_addr, task.case.child_id)
    if moves:
        note_on_file(session, task.case, f"任务改派：{task.title}由{before['office']}改派至{after['office']}", now,
                     data={"by": supervisor.display_name, "to": assignee.display_name}, user=supervisor)
    session.flush()
    return task



def notice_links(session: Session, user: User, notices) -> dict[int, tuple[str, int]]:
    """{notice id: ("task", id) | ("child", id)}: where each notice may link for `user`, only to a page
    they may open (the task, else the child's file); a notice whose pages they may not open has none
    (e.g. the old county after a child moved out of its area, or an office told of a unit's task)."""
    links: dict[int, tuple[str, int]] = {}
    readable: dict[int, bool] = {}
    for notice in notices:
        if notice.task is not None and can_open(session, user, notice.task):
            links[notice.id] = ("task", notice.task_id)
            continue
        child_id = notice.child_id or (notice.case.child_id if notice.case is not None else None)
        if child_id is None:
            continue
        if child_id not in readable:
            try:
                readable_child(session, user, child_id)
                readable[child_id] = True
            except (Forbidden, NotFound):
                readable[child_id] = False
        if readable[child_id]:
            links[notice.id] = ("child", child_id)
    return links


ACTION_WORDS = {"task.reassign": "改派任务", "task.supervisor_open": "打开收到逾期提醒的任务", "child.move": "登记迁居",
                "child.school": "变更就读学校"}


def case_actions(session: Session, case) -> list[dict]:
    """What supervisors and civil affairs did to a case's routing, from the audit log, for its page:
    reassignments of its tasks, and the child's moves and school changes that re-routed its work."""
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.child_id == case.child_id, AuditEntry.action.in_(tuple(ACTION_WORDS)),
        AuditEntry.at >= case.started_at).order_by(AuditEntry.at, AuditEntry.id)).all()
    shown = []
    for entry in entries:
        detail = entry.detail or {}
        if entry.action in ("task.reassign", "task.supervisor_open") and detail.get("case") != case.id:
            continue
        if entry.action == "child.move" and case.id not in (detail.get("cases") or []):
            continue
        if entry.action == "task.reassign":
            text = (f"{detail.get('from_office')}（{detail.get('from') or '未认领'}）→ "
                    f"{detail.get('to_office')}（{detail.get('to')}）")
        elif entry.action == "task.supervisor_open":
            text = detail.get("name") or ""
        elif entry.action == "child.move":
            names = organisation.region_names(session, {detail.get("from"), detail.get("to")} - {None})
            text = (f"{names.get(detail.get('from'), detail.get('from'))} → {names.get(detail.get('to'), detail.get('to'))}"
                    f"；转出待办任务 {len(detail.get('moved_tasks') or [])} 项")
        else:
            text = f"{detail.get('from') or '未登记'} → {detail.get('to') or '未登记'}"
        shown.append({"at": entry.at, "who": entry.username, "what": ACTION_WORDS[entry.action], "text": text})
    return shown
