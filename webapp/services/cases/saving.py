"""Saving a run of the engine: the workflow and everything derived from it (task list, timers,
status), and the effects its handlers asked for, in the caller's transaction.

Everything that changes a case's workflow takes `lock_case` first, so parallel work on one
case takes turns (see `webapp/db.py`), and saves through `save_run`, the one place a
workflow is written.
"""
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload, lazyload

from ...engine import Engine, Run
from ...models import Case, HumanTask, WaitingTimer
from .. import definitions, locking, region_choice, routing
from ..errors import Busy, NotFound
from . import checkout, effects
from .casefile import add_entry


def _busy(err: OperationalError) -> Exception:
    """SQLite's busy timeout ran out (other writers held the database): a clear 503, not a 500."""
    if "locked" in str(err) or "busy" in str(err):
        return Busy("系统繁忙，其他办理正在保存，本次未保存，请稍后重试")
    return err


def lock_case(session: Session, case_id: int) -> Case:
    """The case, locked for this unit of work and read afresh (see the module docstring)."""
    try:
        case = locking.lock_case(session, case_id)
    except OperationalError as err:
        raise _busy(err) from None
    if case is None:
        raise NotFound("案件不存在")
    return case


def lock_task(session: Session, task_id) -> HumanTask:
    """A task with its case locked (as `lock_case`), both read afresh, the case's workflow
    included; its holder and completer are looked up only if a message needs them.

    SQLite's lock is the whole database's, taken first (`BEGIN IMMEDIATE`), so one read after
    it is current: the task, its case, definition and child in one statement. PostgreSQL's is
    the case's row, whose id is the task's: the task is read, its case locked and read, then the
    task's changing columns read again (a completion may have committed in between).
    """
    if isinstance(task_id, bool) or not isinstance(task_id, int):
        raise NotFound("任务不存在")
    if session.get_bind().dialect.name == "sqlite":
        try:
            locking.begin_write(session)
        except OperationalError as err:
            raise _busy(err) from None
        task = session.scalars(_TASK_WITH_WORKFLOW, {"task_id": task_id}).first()
        if task is None:
            raise NotFound("任务不存在")
        return task
    task = session.scalars(_TASK_WITHOUT_WORKFLOW, {"task_id": task_id}).first()
    if task is None:
        raise NotFound("任务不存在")
    lock_case(session, task.case_id)
    session.refresh(task, MUTABLE)
    session.expire(task, ["claimed_by", "completed_by"])
    return task


# What can change on a task row once it exists: who holds it and whether it is done.
MUTABLE = ("state", "claimed_by_id", "completed_by_id", "completed_at", "completed_office_id", "data",
           "escalated_at", "due")


# Built once (each completion only binds its values): the task with its case, definition and child.
def _task_query(with_workflow: bool):
    case = joinedload(HumanTask.case)
    return select(HumanTask).where(HumanTask.id == bindparam("task_id")).options(
        case if with_workflow else case.defer(Case.workflow_json),
        lazyload(HumanTask.claimed_by), lazyload(HumanTask.completed_by))


_TASK_WITH_WORKFLOW = _task_query(True).execution_options(populate_existing=True)
_TASK_WITHOUT_WORKFLOW = _task_query(False)
# The case's open tasks (only their guid and state are needed: no joins), and its timer rows.
_OPEN_ROWS = select(HumanTask).where(HumanTask.case_id == bindparam("case_id"), HumanTask.state == "open") \
    .options(lazyload("*"))
_DELETE_TIMERS = delete(WaitingTimer).where(WaitingTimer.case_id == bindparam("case_id"))


def _place(session: Session, engine: Engine, workflow, guid: str, lane, case_region: str) -> str:
    """The place whose office acts: the one the case's data names in the lane's `regionFrom`
    field (e.g. the new residence's street), else the case's own."""
    if lane is None or not lane.region_from or not lane.level:
        return case_region
    chosen = region_choice.chosen_place(session, engine.task_data(workflow, guid).get(lane.region_from), lane.level)
    return chosen or case_region


def save_run(session: Session, engine: Engine, case: Case, run: Run, now) -> None:
    """Write the workflow of `run` and everything derived from it: the task list, the effects
    its handlers asked for, the waiting timers, the status."""
    workflow = run.workflow
    bundle = definitions.bundle_of(case.definition)
    ready = {t.guid: t for t in run.ready}
    # Read and written without flushing in between: everything goes in the caller's one flush.
    # A row this unit of work has already closed (the task just completed) is open only in the
    # database, not here, and is left as it is; rows of this case it has added are written first.
    if any(isinstance(o, (HumanTask, WaitingTimer)) and o.case is case for o in session.new):
        session.flush()
    with session.no_autoflush:
        open_rows = {t.task_guid: t for t in session.scalars(_OPEN_ROWS, {"case_id": case.id}) if t.state == "open"}
        if run.waited_on_timers:
            session.execute(_DELETE_TIMERS, {"case_id": case.id})
    for guid, row in open_rows.items():
        if guid not in ready:
            row.state = "cancelled"
    for guid, ready_task in ready.items():
        if guid in open_rows:
            continue
        lane = bundle.lane_of(ready_task.process_id, ready_task.name)
        place = _place(session, engine, workflow, guid, lane, case.region_code)
        route = routing.route(lane, place, routing.chosen_unit(
            session, lane, engine.task_data(workflow, guid) if lane and lane.unit_from else {}, case))
        session.add(HumanTask(
            case=case, task_guid=guid, name=ready_task.name, title=ready_task.title,
            process_id=bundle.process_of(ready_task.process_id), form=ready_task.form,
            lane_name=ready_task.lane_name or (lane.name if lane else None),
            department=route.department, lane_department=route.lane_department, level=route.level,
            office_region=route.office_region, case_region=case.region_code, unit_id=route.unit_id,
            procedure=case.definition.process_id, state="open", created_at=now,
            due=ready_task.due or engine.due_at(now, ready_task.due_in),
        ))
    effects.apply(session, engine, case, run.effects, now)
    for timer in engine.pending_timers(workflow):
        session.add(WaitingTimer(case=case, task_guid=timer.guid, name=timer.name, fire_at=timer.fire_at))
    if workflow.is_completed() and case.status == "running":
        case.status = "completed"
        case.ended_at = now
        end = engine.end_event(workflow)
        if end:
            case.end_event, case.end_event_name = end
        add_entry(session, case, "event", f"流程结束：{case.end_event_name or '完成'}", now, None)
    case.waiting_for = [{"kind": e.kind, "name": e.name, "element": e.element, "title": e.title,
                         "process_id": e.process_id} for e in engine.waiting_events(workflow)] or None
    case.workflow_json = blob = engine.dumps(workflow)
    checkout.stage(session, engine, case, blob, workflow)  # the next step's, once this one commits
