"""Recording a contact or a visit: who may, what is kept, and what a finding sets off.

The child director of the child's village records (the roster is derived from the child's
residence, so after a move the new village's director does); village supervisors over it
may too. The township and county civil affairs over the child may read. A record is
validated like any form, written with a conditional UPDATE (two directors submitting at
once: one wins, the other is told who did it), filed on the child's file (a `visit` entry,
no case), may adjust the risk grade (through the registry's history, who and why:
`registry.grading`), and may start procedures (`referrals`), all in the caller's one
transaction: if a start is refused nothing of the record is kept.
"""
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...engine import Engine
from ...engine.clock import local_date
from ...models import CaseFileEntry, Child, RosterTask, User
from ...models.org import jurisdiction_prefix
from .. import audit, forms
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..registry import grading
from ..registry.codes import RISKS
from . import light_tasks
from .opening import on_roster
from .periods import period_from_key
from .record_form import METHODS, RECORD_FORM, summary
from .referrals import start_from_finding

READERS = ("township", "civil_affairs")
CONFIDENTIAL_FOLLOW_UPS = ("guardianship_revocation",)  # a mandatory report: its reporter is confidential


def get(session: Session, task_id) -> RosterTask:
    task = session.get(RosterTask, task_id) if isinstance(task_id, int) and not isinstance(task_id, bool) else None
    if task is None:
        raise NotFound("走访任务不存在")
    return task


def _covers(user: User, region: str) -> bool:
    office = user.office
    return office is not None and region.startswith(jurisdiction_prefix(office.region_code, office.level))


def may_record(user: User, task: RosterTask) -> bool:
    office = user.office
    if office is None or office.department_code != "village":
        return False
    region = task.child.region_code
    return office.region_code == region or (user.is_supervisor and _covers(user, region))


def may_read(user: User, task: RosterTask) -> bool:
    office = user.office
    if may_record(user, task):
        return True
    return office is not None and office.department_code in READERS and _covers(user, task.child.region_code)


def task_for(session: Session, task_id, user: User) -> RosterTask:
    """The task, if `user` may read it (else 404 / 403)."""
    task = get(session, task_id)
    if not may_read(user, task):
        raise Forbidden("该儿童不在您的走访名册或辖区内")
    return task


def title_of(task: RosterTask) -> str:
    return period_from_key(task.kind, task.period).title


def complete(session: Session, engine: Engine, task_id, findings, user: User, now,
             remote_addr: str | None = None) -> RosterTask:
    """Record what the contact or visit found; start the procedures it names."""
    task = task_for(session, task_id, user)
    if not may_record(user, task):
        raise Forbidden("只有儿童住所地的儿童主任可以登记联系和走访")
    light_tasks.ensure_open(task, "任务", "该任务已取消（儿童已不在名册中）")
    if not session.scalar(_still_on_roster(task, now)):
        raise Conflict("该儿童已不在走访名册中（已满十八周岁或不再属于困境儿童类别），无需登记")
    forms.validate(RECORD_FORM, findings, context=forms.Context.at(now, task.child.birth_date))
    if findings["contacted_on"] < task.starts_on.isoformat():
        raise Invalid({"contacted_on": f"本期自 {task.starts_on.isoformat()} 起，此前的联系或走访不能计入本期"})
    if task.kind == "visit" and findings["method"] != "home_visit":
        raise Invalid({"method": f"入户走访须实地入户，不能以“{METHODS[findings['method']]}”代替"})
    kept = shown_findings(findings)
    light_tasks.mark_completed(session, task, kept, user, now, "任务")
    title = title_of(task)
    session.add(CaseFileEntry(child_id=task.child_id, case_id=None, kind="visit", title=title,
                              data={"roster_task": task.id, "kind": task.kind, "period": task.period, **kept,
                                    "summary": summary(findings)},
                              author_id=user.id, office_id=user.office_id, created_at=now))
    _regrade(session, task, findings, user, now)
    started = start_from_finding(session, engine, task, findings, user, now, remote_addr)
    shown = [c for c in started if c.definition.process_id not in CONFIDENTIAL_FOLLOW_UPS]
    if shown:
        task.started_case_id = shown[0].id
    audit.record(session, now, user, "roster.complete", f"roster:{task.id}",
                 {"child": task.child_id, "kind": task.kind, "period": task.period,
                  "started": [c.id for c in started]}, remote_addr)
    session.flush()
    return task


def shown_findings(findings: dict) -> dict:
    """What the roster task and the child's file keep: a mandatory report's reporter stays confidential
    (反家庭暴力法第十四条), so neither the reporter's phone nor that a report was made is kept here; the
    report itself carries them to police and civil affairs only."""
    kept = {k: v for k, v in findings.items() if k != "reporter_phone"}
    if "follow_up" in kept:
        kept["follow_up"] = [p for p in kept["follow_up"] if p not in CONFIDENTIAL_FOLLOW_UPS]
    return kept


def _still_on_roster(task: RosterTask, now):
    return select(exists().where(Child.id == task.child_id, on_roster(local_date(now))))


def _regrade(session: Session, task: RosterTask, findings: dict, user: User, now) -> None:
    """A grade assessed on the visit that differs from the registered one replaces it, through the
    registry's history (who and why), and is noted on the child's file."""
    child, grade = task.child, findings.get("risk_grade")
    if not grade or grade == child.risk_grade:
        return
    before = child.risk_grade
    grading.set_grade(session, child, grade, f"{title_of(task)}评估：{summary(findings)}", user, now, "roster")
    session.add(CaseFileEntry(child_id=child.id, case_id=None, kind="event",
                              title=f"风险等级调整：{RISKS.get(before, '未评定')} → {RISKS[grade]}",
                              data={"from": before, "to": grade, "by": user.display_name, "reason": title_of(task)},
                              author_id=user.id, office_id=user.office_id, created_at=now))
    audit.record(session, now, user, "child.risk_grade", f"child:{child.id}", {"from": before, "to": grade})
