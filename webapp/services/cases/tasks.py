"""A case's tasks as people act on them: claim, release, reassign (one conditional UPDATE each,
so of simultaneous claims one wins) and complete (under the case's lock, so parallel
completions of one case take turns and all succeed)."""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...engine import Engine, ServiceTaskFailed, TaskNotReady, context_factory_for
from ...models import Case, HumanTask, Unit, User
from .. import audit, definitions, forms, region_choice, routing, supervision, units
from ..errors import Conflict, EngineFailure, Forbidden, NotFound, Unprocessable
from .access import audit_private_read, is_private, private_read_action
from .casefile import write_entry
from .design_errors import design_error
from .saving import _busy, lock_task, save_run


def get_task(session: Session, task_id) -> HumanTask:
    task = session.get(HumanTask, task_id) if isinstance(task_id, int) else None
    if task is None:
        raise NotFound("任务不存在")
    return task


def task_for_actor(session: Session, task_id, user: User, now=None, remote_addr: str | None = None) -> HumanTask:
    """An open or finished task the user may see: one routed to their office (or jurisdiction), or
    an overdue one its lead supervisor was told about (`supervision.can_open`).

    Reading a task of a private procedure (its data is the psychological health file) is audited.
    """
    task = get_task(session, task_id)
    if not supervision.can_open(session, user, task):
        raise Forbidden("该任务不属于您所在的单位")
    if not routing.can_act(user, task):  # the lead supervisor opening what it was told is overdue: audited
        audit.record_read(session, user, "task.supervisor_open", f"task:{task.id}", child_id=task.case.child_id,
                          detail={"case": task.case_id, "name": task.name}, now=now, remote_addr=remote_addr)
    if is_private(task.case):
        audit_private_read(session, user, f"task:{task.id}", {"case": task.case_id, "name": task.name}, now, remote_addr,
                           task.case.child_id, action=private_read_action(task.case))
    return task


def _open_task_for(session, task_id, user) -> HumanTask:
    """The open task the user may act on."""
    return _ensure_open(get_task(session, task_id), user)


def _ensure_open(task: HumanTask, user: User) -> HumanTask:
    if task.state == "completed":
        who = task.completed_by.display_name if task.completed_by else "他人"
        raise Conflict(f"该任务已由{who}于{task.completed_at:%Y-%m-%d %H:%M}办结", completed_by=who)
    if task.state != "open":
        raise Conflict("该任务已取消（流程已转向其他步骤）")
    if not routing.can_act(user, task):
        raise Forbidden("该任务不属于您所在的单位，不能办理")
    return task


def _holder_conflict(task: HumanTask, text: str) -> Conflict:
    holder = task.claimed_by
    return Conflict(text.format(holder=holder.display_name), claimed_by=holder.username)


def _set_holder(session: Session, task: HumanTask, user: User, condition, holder_id: int | None) -> bool:
    """Give the task a new holder in one conditional UPDATE: only if it is still open and
    `condition` (what the caller saw) still holds. Re-reads the task; False when refused."""
    try:
        result = session.execute(
            update(HumanTask).where(HumanTask.id == task.id, HumanTask.state == "open", condition)
            .values(claimed_by_id=holder_id).execution_options(synchronize_session=False))
    except OperationalError as err:
        raise _busy(err) from None
    session.refresh(task)
    if result.rowcount != 1:
        _ensure_open(task, user)  # completed or cancelled meanwhile: say so
        return False
    return True


def claim(session: Session, task_id, user: User, now, remote_addr=None) -> HumanTask:
    task = _open_task_for(session, task_id, user)
    mine_or_free = or_(HumanTask.claimed_by_id.is_(None), HumanTask.claimed_by_id == user.id)
    if not _set_holder(session, task, user, mine_or_free, user.id):
        raise _holder_conflict(task, "该任务已由{holder}认领")
    audit.record(session, now, user, "task.claim", f"task:{task.id}", None, remote_addr)
    session.flush()
    return task


def _as_seen(task: HumanTask):
    """The holder the caller saw, as a condition: someone else's change in between refuses."""
    seen = task.claimed_by_id
    return HumanTask.claimed_by_id.is_(None) if seen is None else HumanTask.claimed_by_id == seen


def release(session: Session, task_id, user: User, now, remote_addr=None) -> HumanTask:
    task = _open_task_for(session, task_id, user)
    if task.claimed_by_id not in (None, user.id) and not user.is_supervisor:
        raise _holder_conflict(task, "该任务由{holder}认领，只有本人或主管可以释放")
    if not _set_holder(session, task, user, _as_seen(task), None):
        if task.claimed_by_id is None:
            return task  # released by someone else at the same moment: the outcome asked for
        raise _holder_conflict(task, "该任务刚由{holder}认领，未释放，请刷新后再试")
    audit.record(session, now, user, "task.release", f"task:{task.id}", None, remote_addr)
    session.flush()
    return task


def reassign(session: Session, task_id, supervisor: User, assignee_id: int, now, remote_addr=None) -> HumanTask:
    """A supervisor hands an open task to someone (webapp/services/supervision.py decides to whom)."""
    return supervision.reassign(session, task_id, supervisor, assignee_id, now, remote_addr)


def assignable_users(session: Session, task: HumanTask, supervisor: User) -> list[User]:
    return supervision.targets(session, supervisor, task)


def _check_holder(task: HumanTask, user: User) -> None:
    if task.claimed_by_id not in (None, user.id):
        raise _holder_conflict(task, "该任务已由{holder}认领，请先由其释放或由主管改派")


def task_form(session: Session, task: HumanTask) -> dict | None:
    """The task's form as this case offers it: each `x-unit` field a choice of the units serving
    the case's place (webapp/services/units.py), each `x-region` field a choice of places
    (webapp/services/region_choice.py), validated against that same list; at a unit, a field of
    the unit's kind is the unit itself (the chosen hospital records its own admission)."""
    acting = session.get(Unit, task.unit_id) if task.unit_id is not None else None
    schema = units.for_case(session, definitions.form_of(task.case.definition, task.form), task.case.region_code, acting)
    return region_choice.for_case(session, schema, task.case.region_code)


def complete_task(session: Session, engine: Engine, task_id, data, user: User, now, remote_addr=None) -> Case:
    task = _ensure_open(lock_task(session, task_id), user)  # parallel completions of a case wait here, in turn
    case = task.case
    _check_holder(task, user)
    schema = task_form(session, task)
    forms.validate(schema, data, context=forms.Context.at(now, case.child.birth_date))
    data = units.copy_names(session, schema, data)  # a chosen unit's name, never free text
    if case.status != "running":
        raise Conflict("该案件已出错，等待管理员处理" if case.status == "error" else "该案件已结束，不能再办理其任务")
    # The workflow this process committed last, if the locked row still holds it (engine/checkout.py).
    workflow = engine.checkout(case.id, case.workflow_json,
                               context_factory_for(engine, case.id, case.region_code, case.definition.process_id))
    try:
        run = engine.complete(workflow, task.task_guid, dict(data))
    except TaskNotReady:
        raise Conflict("该任务已不在等待办理（可能刚被他人办结）") from None
    except ServiceTaskFailed as err:
        raise EngineFailure(f"后续自动步骤失败，本次提交未保存：{err.cause.message}", code=err.cause.code) from err
    except SpiffWorkflowException as err:  # a missing variable (DataInputMissing) too: the design is at fault
        raise design_error(err, case.definition, case_id=case.id, task_id=task.id, task_name=task.name) from err
    task.state = "completed"
    # By id (the user is in the session: reading the relationship finds it without a query), so
    # the flush does not bring the user's rows into its graph.
    task.claimed_by_id = user.id
    task.completed_by_id = user.id
    session.expire(task, ["claimed_by", "completed_by"])  # a holder read earlier is not the one now
    task.completed_at = now
    task.completed_office_id = user.office_id
    task.data = dict(data)
    try:
        # The step on the child's file (before what the run files) and the audit row: plain INSERTs,
        # in the same transaction (the ORM's unit of work costs more than the rows).
        write_entry(session, case, "step", task.title, now, user, data=dict(data))
        save_run(session, engine, case, run, now)
        session.flush()
        audit.write(session, now, user, "task.complete", f"task:{task.id}", {"case": case.id, "name": task.name}, remote_addr)
    except routing.Unroutable as err:
        raise Unprocessable(f"后续步骤无法分派到承办单位，本次提交未保存：{err}") from None
    except (StaleDataError, IntegrityError):  # a writer that did not take the lock got there first
        raise Conflict("该案件刚被他人更新，本次提交未保存，请刷新后重试") from None
    return case


def task_data(engine: Engine, task: HumanTask) -> dict:
    """The data the workflow holds for an open task (empty once it is done)."""
    if task.state != "open":
        return dict(task.data or {})
    workflow = engine.loads(task.case.workflow_json)
    try:
        return engine.task_data(workflow, task.task_guid)
    except TaskNotReady:
        return {}
