"""Firing a case's due timers, each case contained: one that fails goes to `error` with the
reason (a SAVEPOINT per case) and every other case fires on; an administrator may retry it."""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...engine import Engine, ServiceTaskFailed, context_factory_for
from ...models import Case, WaitingTimer
from .. import routing
from ..errors import DesignError, EngineFailure, ServiceError
from . import design_errors
from .casefile import add_entry
from .saving import lock_case, save_run


def fire_due_timers(session: Session, engine: Engine, now, failures: dict | None = None) -> int:
    """Fire every timer due at `now`; returns how many cases it touched (moved or failed).

    Idempotent: a fired timer leaves `waiting_timers` when the case is saved, so a second
    call at the same moment finds nothing. Each case fires inside a SAVEPOINT: whatever
    goes wrong (a failing handler, a step no office can take, a bug) rolls back that case
    alone, which is put in `error` with the reason (added to `failures`, case id -> reason)
    while every other case fires on.
    """
    case_ids = session.scalars(
        select(WaitingTimer.case_id).join(Case, Case.id == WaitingTimer.case_id)
        .where(WaitingTimer.fire_at <= now, Case.status == "running").distinct().order_by(WaitingTimer.case_id)).all()
    moved = 0
    for case_id in case_ids:
        case = lock_case(session, case_id)
        if case.status != "running":
            continue  # cancelled or failed since the query
        try:
            with session.begin_nested():
                fire_case_timers(session, engine, case, now)
        except Exception as err:  # noqa: BLE001 - contained to this case and recorded on it
            reason = describe_failure(err)
            _fail(session, session.get(Case, case_id), reason, now)
            if isinstance(err, DesignError):  # the case now waits in `error`: recorded once, not every minute
                design_errors.record(session, err, now)
            if failures is not None:
                failures[f"case:{case_id}"] = reason
        moved += 1
    session.flush()
    return moved


def describe_failure(err: Exception) -> str:
    """A one-line reason for an administrator: a ServiceError's Chinese message, else the exception."""
    if isinstance(err, ServiceError):
        return err.message[:500]
    if isinstance(err, routing.Unroutable):
        return f"下一步骤无法分派到承办单位：{err}"[:500]
    return f"意外错误 {type(err).__name__}: {err}".splitlines()[0][:500]


def fire_case_timers(session: Session, engine: Engine, case: Case, now) -> None:
    workflow = engine.checkout(case.id, case.workflow_json,
                               context_factory_for(engine, case.id, case.region_code, case.definition.process_id))
    try:
        run = engine.fire_timers(workflow)
    except ServiceTaskFailed as err:
        raise EngineFailure(f"定时器触发后的自动步骤失败：{err.cause.message}") from err
    except SpiffWorkflowException as err:  # a condition, a script, a missing variable: the design is at fault
        raise design_errors.blocked(err, case.definition, case_id=case.id, during="定时器触发后") from err
    save_run(session, engine, case, run, now)


def run_again(session: Session, engine: Engine, case: Case, now) -> str | None:
    """A case in `error` runs again from its stored state (an administrator's retry): its due
    timers fire and its tasks are routed afresh. None when it runs; else the new reason, and
    the case stays in `error` with nothing of the attempt kept."""
    try:
        with session.begin_nested():
            case.status, case.error_message = "running", None
            fire_case_timers(session, engine, case, now)
    except Exception as err:  # noqa: BLE001 - reported to the administrator, recorded on the case
        reason = describe_failure(err)
        _fail(session, session.get(Case, case.id), reason, now)
        if isinstance(err, DesignError):
            design_errors.record(session, err, now, once=True)
        return reason
    return None


def _fail(session: Session, case: Case, message: str, now) -> None:
    """The workflow as stored is kept; the case waits for an administrator."""
    case.status = "error"
    case.error_message = message
    session.execute(delete(WaitingTimer).where(WaitingTimer.case_id == case.id))
    add_entry(session, case, "event", f"流程出错：{message}", now, None)
