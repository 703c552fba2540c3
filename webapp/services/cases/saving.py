"""Saving a run of the engine: the workflow and everything derived from it (task list, timers,
status), and the effects its handlers asked for, in the caller's transaction.

Everything that changes a case's workflow takes `lock_case` first, so parallel work on one
case takes turns (see `webapp/db.py`), and saves through `save_run`, the one place a
workflow is written.
"""
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, lazyload

from ...engine import Engine, Run
from ...models import Case, HumanTask, Unit, WaitingTimer
from .. import definitions, locking, region_choice, routing
from ..errors import Busy, NotFound
from . import effects
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


def _chosen_unit(session: Session, engine: Engine, workflow, guid: str, lane) -> Unit | None:
    """The unit the case's data names in the lane's `unitFrom` field (None: the office acts)."""
    if lane is None or not lane.unit_from:
        return None
    value = engine.task_data(workflow, guid).get(lane.unit_from)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return session.get(Unit, value)


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
    open_rows = {t.task_guid: t for t in session.scalars(
        select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open")
        .options(lazyload("*")))}  # only their guid and state are needed here: no joins
    # Right after that read's flush, before anything changes, so it flushes nothing of its own:
    # the rest goes in the caller's one flush.
    session.execute(delete(WaitingTimer).where(WaitingTimer.case_id == case.id))
    for guid, row in open_rows.items():
        if guid not in ready:
            row.state = "cancelled"
    for guid, ready_task in ready.items():
        if guid in open_rows:
            continue
        lane = bundle.lane_of(ready_task.process_id, ready_task.name)
        place = _place(session, engine, workflow, guid, lane, case.region_code)
        route = routing.route(lane, place, _chosen_unit(session, engine, workflow, guid, lane))
        session.add(HumanTask(
            case=case, task_guid=guid, name=ready_task.name, title=ready_task.title,
            process_id=ready_task.process_id, form=ready_task.form, lane_name=ready_task.lane_name,
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
    case.workflow_json = engine.dumps(workflow)
