"""Cases: start one, complete, claim, release and reassign its tasks, fire its timers.

Every function takes the session and plain values, changes the case in one unit of work
and leaves the commit to the caller (a view or a CLI command).

Parallel work: completing a task first locks its case (`db.lock_case`: `SELECT … FOR UPDATE`
on PostgreSQL, `BEGIN IMMEDIATE` on SQLite) and then reads the task and the workflow afresh,
so five offices signing one agreement at once take turns and all succeed; only a real
conflict (the task already done, or cancelled by the other completion) is a `Conflict`.
Claims, releases and reassignments are one conditional UPDATE each, so of many simultaneous
claims one wins and the others are told who holds the task. The optimistic version on the
case stays as a last guard. A timer that fails is contained to its case (a SAVEPOINT per
case): the case is put in `error` with the reason and every other case fires on.
"""
from datetime import date

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.exc import StaleDataError

from ..catalog import department_name
from ..engine import Engine, ServiceTaskFailed, TaskNotReady, context_factory_for
from ..models import Case, CaseFileEntry, Child, HumanTask, Notification, Office, Region, User, WaitingTimer, level_of
from ..models.org import LEVELS, jurisdiction_prefix, region_at_level
from .. import db
from . import audit, definitions, forms, routing
from .errors import Busy, Conflict, EngineFailure, Forbidden, Invalid, NotFound, ServiceError, Unprocessable


# -- starting ---------------------------------------------------------------------------
def start_case(session: Session, engine: Engine, process_id: str, region_code: str, data, user: User,
               now, remote_addr: str | None = None) -> Case:
    definition = definitions.get_latest_or_404(session, process_id)
    bundle = definitions.bundle_of(definition)
    forms.validate(definitions.form_of(definition, definition.start_form), data, context=forms.Context.at(now))
    region = session.get(Region, region_code) if isinstance(region_code, str) else None
    if region is None:
        raise Invalid({"region": "未知的行政区划代码"})
    lanes = bundle.processes[process_id].lanes
    needed = routing.deepest_level(lanes.values())
    if LEVELS.index(level_of(region.code)) < LEVELS.index(needed):
        raise Invalid({"region": f"该流程需要精确到{needed_name(needed)}的住所地"})
    start_lane = next((lanes[s.bpmn_id] for s in bundle.spec(process_id)[0].task_specs.values()
                       if type(s).__name__ == "StartEvent" and s.bpmn_id in lanes), None)
    startable_by = bundle.processes[process_id].startable_by
    if startable_by == "handover":
        raise Forbidden("该流程只能由其他流程移交发起，不能直接发起")
    try:
        may_start = _may_start(user, start_lane, region.code, startable_by)
    except routing.Unroutable as err:
        raise Unprocessable(f"无法立案：{definition.name}的发起步骤无法分派到承办单位（{err}），请联系流程设计员") from None
    if not may_start:
        raise Forbidden("您所在的单位不能在该地区发起此流程")
    case = _open_case(session, engine, definition, region.code, data, user, now)
    audit.record(session, now, user, "case.start", f"case:{case.id}", {"process": process_id, "region": region.code}, remote_addr)
    session.flush()
    return case


def _open_case(session: Session, engine: Engine, definition, region_code: str, data: dict, user: User | None, now) -> Case:
    """Create the case and run its workflow to the first wait (shared by people and hand-overs)."""
    child = _child_for(session, data.get("child"), region_code, now)
    case = Case(definition=definition, child=child, region_code=region_code, status="running",
                workflow_json="{}", started_by_id=user.id if user else None, started_at=now)
    session.add(case)
    session.flush()
    factory = context_factory_for(engine, case.id, case.region_code, definition.process_id)
    try:
        workflow = engine.start(definitions.bundle_of(definition), definition.process_id, dict(data), factory)
    except ServiceTaskFailed as err:
        raise EngineFailure(f"流程启动失败：{err.cause.message}", code=err.cause.code) from err
    except SpiffWorkflowException as err:
        raise EngineFailure(f"流程启动失败：{err}") from err
    title = f"立案：{definition.name}" if not data.get("handed_over_from") else f"转入：{definition.name}"
    title = data.get("opening_title") or title  # e.g. "儿童督导员半年回访（第 3 次）" for a scheduled visit
    # A confidential reporter is not named on the child's file through the author either.
    author = None if _confidentiality(definition)[0] else user
    _file(session, case, "event", title, now, author, data={"reason": data.get("reason"), "from": data.get("handed_over_from")})
    try:
        _sync(session, engine, case, workflow, now)
    except routing.Unroutable as err:
        raise Unprocessable(f"无法立案：{definition.name}的步骤无法分派到承办单位（{err}），请联系流程设计员") from None
    return case


def needed_name(level: str) -> str:
    return {"province": "省", "city": "市", "county": "县（区）", "township": "乡镇（街道）", "village": "村（社区）"}[level]


def _may_start(user: User, lane, region_code: str, startable_by: str | None = None) -> bool:
    """The start lane's office may start; so may civil affairs, the lead department, in its jurisdiction.

    A process whose start event says `startableBy="any"` (a mandatory report) may be started by
    any office whose jurisdiction covers the place.
    """
    office = user.office
    if office is None:
        return False
    in_jurisdiction = region_code.startswith(jurisdiction_prefix(office.region_code, office.level))
    if in_jurisdiction and (startable_by == "any" or office.department_code == "civil_affairs"):
        return True
    if lane is None:
        return False
    route = routing.route(lane, region_code)
    probe = HumanTask(department=route.department, office_region=route.office_region)
    return routing.can_act(user, probe)


def _child_for(session: Session, info: dict, region_code: str, now) -> Child:
    number = info["id_number"].upper()
    db.begin_write(session)  # SQLite: the one writer from here on, so the look-up is current
    child = session.scalars(select(Child).where(Child.id_number == number)).first()
    if child is None:
        try:  # PostgreSQL: another node may be registering the same child at this moment; then it is theirs
            with session.begin_nested():
                child = Child(id_number=number, name=info["name"], gender=info["gender"],
                              birth_date=date.fromisoformat(info["birth_date"]), region_code=region_code, created_at=now)
                session.add(child)
            return child
        except IntegrityError:
            child = session.scalars(select(Child).where(Child.id_number == number)).one()
    child.region_code = region_code
    return child


# -- tasks --------------------------------------------------------------------------------
def get_task(session: Session, task_id) -> HumanTask:
    task = session.get(HumanTask, task_id) if isinstance(task_id, int) else None
    if task is None:
        raise NotFound("任务不存在")
    return task


def task_for_actor(session: Session, task_id, user: User, now=None, remote_addr: str | None = None) -> HumanTask:
    """An open or finished task the user may see: one routed to their office (or jurisdiction).

    Reading a task of a private procedure (its data is the psychological health file) is audited.
    """
    task = get_task(session, task_id)
    if not routing.can_act(user, task):
        raise Forbidden("该任务不属于您所在的单位")
    if is_private(task.case):
        audit_private_read(session, user, f"task:{task.id}", {"case": task.case_id, "name": task.name}, now, remote_addr,
                           task.case.child_id)
    return task


def _open_task_for(session, task_id, user, fresh: bool = False) -> HumanTask:
    """The open task the user may act on; `fresh` re-reads it (after taking a lock)."""
    task = get_task(session, task_id)
    if fresh:
        session.refresh(task)
    return _ensure_open(task, user)


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
    task = _open_task_for(session, task_id, supervisor)
    if not supervisor.is_supervisor:
        raise Forbidden("只有主管可以改派任务")
    assignee = session.get(User, assignee_id)
    if assignee is None or not assignee.active or not routing.can_act(assignee, task):
        raise Invalid({"assignee": "改派对象必须是承办该任务单位的在职人员"})
    previous = task.claimed_by.username if task.claimed_by else None
    if not _set_holder(session, task, supervisor, _as_seen(task), assignee.id) and task.claimed_by_id != assignee.id:
        if task.claimed_by is None:
            raise Conflict("该任务刚被释放，未改派，请刷新后再试")
        raise _holder_conflict(task, "该任务刚由{holder}认领，未改派，请刷新后再试")
    audit.record(session, now, supervisor, "task.reassign", f"task:{task.id}", {"from": previous, "to": assignee.username}, remote_addr)
    session.flush()
    return task


def assignable_users(session: Session, task: HumanTask) -> list[User]:
    users = session.scalars(select(User).join(Office).where(Office.department_code == task.department, User.active)).all()
    return [u for u in users if routing.can_act(u, task)]


def _busy(err: OperationalError) -> Exception:
    """SQLite's busy timeout ran out (other writers held the database): a clear 503, not a 500."""
    if "locked" in str(err) or "busy" in str(err):
        return Busy("系统繁忙，其他办理正在保存，本次未保存，请稍后重试")
    return err


def lock_case(session: Session, case_id: int) -> Case:
    """The case, locked for this unit of work and read afresh (see the module docstring)."""
    try:
        case = db.lock_case(session, case_id)
    except OperationalError as err:
        raise _busy(err) from None
    if case is None:
        raise NotFound("案件不存在")
    return case


def _check_holder(task: HumanTask, user: User) -> None:
    if task.claimed_by_id not in (None, user.id):
        raise _holder_conflict(task, "该任务已由{holder}认领，请先由其释放或由主管改派")


def complete_task(session: Session, engine: Engine, task_id, data, user: User, now, remote_addr=None) -> Case:
    task = _open_task_for(session, task_id, user)
    _check_holder(task, user)
    forms.validate(definitions.form_of(task.case.definition, task.form), data,
                   context=forms.Context.at(now, task.case.child.birth_date))
    case = lock_case(session, task.case_id)  # parallel completions of this case wait here, in turn
    task = _open_task_for(session, task_id, user, fresh=True)
    _check_holder(task, user)
    if case.status != "running":
        raise Conflict("该案件已出错，等待管理员处理" if case.status == "error" else "该案件已结束，不能再办理其任务")
    workflow = engine.loads(case.workflow_json, context_factory_for(engine, case.id, case.region_code, case.definition.process_id))
    try:
        engine.complete(workflow, task.task_guid, dict(data))
    except TaskNotReady:
        raise Conflict("该任务已不在等待办理（可能刚被他人办结）") from None
    except ServiceTaskFailed as err:
        raise EngineFailure(f"后续自动步骤失败，本次提交未保存：{err.cause.message}", code=err.cause.code) from err
    except SpiffWorkflowException as err:
        raise EngineFailure(f"流程执行出错，本次提交未保存：{err}") from err
    task.state = "completed"
    task.claimed_by = user
    task.completed_by = user
    task.completed_at = now
    task.completed_office_id = user.office_id
    task.data = dict(data)
    _file(session, case, "step", task.title, now, user, data=dict(data))
    try:
        _sync(session, engine, case, workflow, now)
        audit.record(session, now, user, "task.complete", f"task:{task.id}", {"case": case.id, "name": task.name}, remote_addr)
        session.flush()
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


# -- timers -------------------------------------------------------------------------------
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
    workflow = engine.loads(case.workflow_json, context_factory_for(engine, case.id, case.region_code, case.definition.process_id))
    try:
        engine.fire_timers(workflow)
    except ServiceTaskFailed as err:
        raise EngineFailure(f"定时器触发后的自动步骤失败：{err.cause.message}") from err
    except SpiffWorkflowException as err:
        raise EngineFailure(f"定时器触发后流程出错：{err}") from err
    _sync(session, engine, case, workflow, now)


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
        return reason
    return None


def _fail(session: Session, case: Case, message: str, now) -> None:
    """The workflow as stored is kept; the case waits for an administrator."""
    case.status = "error"
    case.error_message = message
    session.execute(delete(WaitingTimer).where(WaitingTimer.case_id == case.id))
    _file(session, case, "event", f"流程出错：{message}", now, None)


def start_scheduled(session: Session, engine: Engine, process_id: str, region_code: str, data: dict, now) -> Case:
    """Start a case nobody starts by hand (the scheduler's, e.g. one monitoring visit)."""
    return _open_case(session, engine, definitions.get_latest_or_404(session, process_id), region_code, data, None, now)


def cancel_case(session: Session, case: Case, reason: str, now, user: User | None = None) -> None:
    """Stop a running (or failed) case from outside its diagram (e.g. its monitoring plan closed)."""
    if case.status not in ("running", "error"):
        return
    for task in open_tasks(session, case):
        task.state = "cancelled"
    session.execute(delete(WaitingTimer).where(WaitingTimer.case_id == case.id))
    case.status = "cancelled"
    case.ended_at = now
    _file(session, case, "event", f"流程取消：{reason}", now, user)


def note_on_file(session: Session, case: Case, title: str, now, data: dict | None = None, user: User | None = None) -> None:
    """An event on the child's file (一人一档), e.g. a deadline passed or a plan ended."""
    _file(session, case, "event", title, now, user, data=data)


# -- saving -------------------------------------------------------------------------------
def _sync(session: Session, engine: Engine, case: Case, workflow, now) -> None:
    """Write the workflow and everything derived from it: task list, timers, documents, status."""
    bundle = definitions.bundle_of(case.definition)
    ready = {t.guid: t for t in engine.ready_tasks(workflow)}
    open_rows = {t.task_guid: t for t in session.scalars(
        select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open"))}
    for guid, row in open_rows.items():
        if guid not in ready:
            row.state = "cancelled"
    for guid, ready_task in ready.items():
        if guid in open_rows:
            continue
        route = routing.route(bundle.lane_of(ready_task.process_id, ready_task.name), case.region_code)
        session.add(HumanTask(
            case=case, task_guid=guid, name=ready_task.name, title=ready_task.title,
            process_id=ready_task.process_id, form=ready_task.form, lane_name=ready_task.lane_name,
            department=route.department, lane_department=route.lane_department, level=route.level,
            office_region=route.office_region, case_region=case.region_code,
            procedure=case.definition.process_id, state="open", created_at=now,
            due=ready_task.due or engine.due_at(now, ready_task.due_in),
        ))
    for document in workflow.script_engine.documents:
        _file(session, case, "document", document.title, now, None, body=document.html)
    workflow.script_engine.documents.clear()
    follow_ups, workflow.script_engine.follow_ups = workflow.script_engine.follow_ups, []
    for follow_up in follow_ups:
        _open_case(session, engine, definitions.get_latest_or_404(session, follow_up.process_id),
                   case.region_code, {**follow_up.data, "handed_over_case": case.id}, None, now)
    plan_requests, workflow.script_engine.plan_requests = workflow.script_engine.plan_requests, []
    if plan_requests:
        from . import monitoring  # it starts cases through this module
        monitoring.apply_requests(session, engine, case, plan_requests, now)
    notices, workflow.script_engine.notices = workflow.script_engine.notices, []
    for notice in notices:  # office-wide notices a handler asked for (handlers.registry.Notice)
        session.add(Notification(kind="notice", department=notice.department, case=case, message=notice.message,
                                 office_region=region_at_level(case.region_code, notice.level), created_at=now))
    session.execute(delete(WaitingTimer).where(WaitingTimer.case_id == case.id))
    for timer in engine.pending_timers(workflow):
        session.add(WaitingTimer(case=case, task_guid=timer.guid, name=timer.name, fire_at=timer.fire_at))
    if workflow.is_completed() and case.status == "running":
        case.status = "completed"
        case.ended_at = now
        end = engine.end_event(workflow)
        if end:
            case.end_event, case.end_event_name = end
        _file(session, case, "event", f"流程结束：{case.end_event_name or '完成'}", now, None)
    case.workflow_json = engine.dumps(workflow)


def _file(session, case: Case, kind: str, title: str, now, user: User | None, body=None, data=None):
    session.add(CaseFileEntry(child=case.child, case=case, kind=kind, title=title, body=body, data=data,
                              author_id=user.id if user else None,
                              office_id=user.office_id if user else None, created_at=now))


# -- reading ------------------------------------------------------------------------------
def can_view_case(session: Session, user: User, case: Case) -> bool:
    """Offices that hold or held a task of the case, and civil affairs of its place, may read it.

    A private procedure is narrower: see `_handles_private_case`.
    """
    office = user.office
    if office is None:
        return False
    if is_private(case):
        return _handles_private_case(session, office, case)
    if office.department_code == "civil_affairs" and case.region_code.startswith(jurisdiction_prefix(office.region_code, office.level)):
        return True
    if case.started_by is not None and case.started_by.office_id == office.id:
        return True
    tasks = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                    HumanTask.department == office.department_code)).all()
    return any(routing.can_act(user, t) for t in tasks)


# -- confidential start data (the mandatory reporter, 反家庭暴力法 art. 14) ---------------------
CONFIDENTIAL_MASK = "由强制报告责任主体报告（报告人身份依法保密）"


def shown_data(user: User, case: Case, data: dict) -> dict:
    """`data` of `case` as `user` may see it: the start-data fields the procedure declares
    confidential (`confidentialFields` on its start event) are masked for every department
    not named in `confidentialTo`. Every view that shows task data goes through here."""
    fields, seen_by = _confidentiality(case.definition)
    if not fields or not isinstance(data, dict):
        return data
    if user.office is not None and user.office.department_code in seen_by:
        return data
    return {key: CONFIDENTIAL_MASK if key in fields else value for key, value in data.items()}


def opener_shown(user: User, case: Case) -> User | None:
    """Who opened the case, as `user` may see it: not named where the opener is a confidential reporter."""
    fields, seen_by = _confidentiality(case.definition)
    if fields and (user.office is None or user.office.department_code not in seen_by):
        return None
    return case.started_by


_CONFIDENTIALITY: dict[tuple[int, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _confidentiality(definition) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(confidential fields, departments that may see them) of a version; versions never change."""
    key = (definition.id, definition.checksum)
    if key not in _CONFIDENTIALITY:
        info = definitions.bundle_of(definition).processes.get(definition.process_id)
        _CONFIDENTIALITY[key] = (info.confidential_fields, info.confidential_to) if info else ((), ())
    return _CONFIDENTIALITY[key]


def case_for(session: Session, case_id, user: User, now=None, remote_addr: str | None = None) -> Case:
    """A case the user may read; reading a private one is audited."""
    case = session.get(Case, case_id) if isinstance(case_id, int) else None
    if case is None:
        raise NotFound("案件不存在")
    if not can_view_case(session, user, case):
        raise Forbidden("您所在的单位无权查看该案件")
    if is_private(case):
        audit_private_read(session, user, f"case:{case.id}", {"case": case.id}, now, remote_addr, case.child_id)
    return case


# -- private procedures: the psychological health file ----------------------------------------
# The task data and file entries of these procedures form the child's psychological health
# file (心理健康档案, chongqing (十一), shanghai (十二)). Children's information is used only for
# its purpose, access is limited and recorded (chongqing (二十二), shanghai (二十一), hubei 四.(三)).
PRIVATE_PROCESSES = frozenset({"psych_referral"})
PRIVATE_READ = "psych.read"


def is_private(case: Case) -> bool:
    return case.definition.process_id in PRIVATE_PROCESSES


def _handles_private_case(session: Session, office: Office, case: Case) -> bool:
    """The civil affairs office of the child's county, the office that opened the case, and the
    offices that hold or held one of its tasks; not higher offices nor other places' supervisors."""
    if office.department_code == "civil_affairs" and office.region_code == region_at_level(case.region_code, "county"):
        return True
    if case.started_by is not None and case.started_by.office_id == office.id:
        return True
    held = select(HumanTask.id).where(HumanTask.case_id == case.id, or_(
        (HumanTask.department == office.department_code) & (HumanTask.office_region == office.region_code),
        HumanTask.completed_office_id == office.id,
    )).limit(1)
    return session.scalars(held).first() is not None


def audit_private_read(session: Session, user: User, target: str, detail: dict | None = None,
                       now=None, remote_addr: str | None = None, child_id: int | None = None) -> None:
    """Record a read of a psychological health file (`audit.record_read`, its own transaction)."""
    audit.record_read(session, user, PRIVATE_READ, target, child_id=child_id, detail=detail, now=now,
                      remote_addr=remote_addr)


def open_tasks(session: Session, case: Case) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open")
                                .order_by(HumanTask.id)))


def completed_tasks(session: Session, case: Case) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "completed")
                                .order_by(HumanTask.completed_at, HumanTask.id)))


def file_entries(session: Session, child: Child, viewer: User | None = None, now=None,
                 remote_addr: str | None = None) -> list[CaseFileEntry]:
    """The child's file. Given a `viewer`, entries of private cases they may not read are left
    out and showing the others is audited; without one, the caller has checked access itself
    (e.g. to the one case whose entries it shows)."""
    entries = list(session.scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == child.id)
                                   .order_by(CaseFileEntry.created_at, CaseFileEntry.id)))
    if viewer is None:
        return entries
    private = {e.case for e in entries if e.case is not None and is_private(e.case)}
    readable = {c.id for c in private if can_view_case(session, viewer, c)}
    entries = [e for e in entries if e.case is None or not is_private(e.case) or e.case_id in readable]
    if readable:
        audit_private_read(session, viewer, f"child:{child.id}", {"cases": sorted(readable)}, now, remote_addr, child.id)
    return entries


def office_label(session: Session, department: str, region_code: str) -> str:
    office = session.scalars(select(Office).where(Office.department_code == department, Office.region_code == region_code)).first()
    if office:
        return office.name
    region = session.get(Region, region_code)
    return f"{region.name if region else region_code}{department_name(department)}"


def why_routed(session: Session, task: HumanTask) -> str:
    route = routing.Route(task.department, task.lane_department, task.level, task.office_region)
    region = session.get(Region, task.case.region_code)
    return route.explain(task.lane_name, _full_region_name(session, region), office_label(session, task.department, task.office_region))


def _full_region_name(session: Session, region: Region | None) -> str:
    names = []
    while region is not None:
        names.append(region.name)
        region = session.get(Region, region.parent_code) if region.parent_code else None
    return "".join(reversed(names))


def child_for(session: Session, child_id, user: User) -> Child:
    """A child whose file the user may read: they may view at least one of the child's cases."""
    child = session.get(Child, child_id) if isinstance(child_id, int) else None
    if child is None:
        raise NotFound("儿童档案不存在")
    if not any(can_view_case(session, user, c) for c in cases_of(session, child)):
        raise Forbidden("您所在的单位无权查看该儿童档案")
    return child


def cases_of(session: Session, child: Child) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.child_id == child.id).options(defer(Case.workflow_json))
                                .order_by(Case.started_at, Case.id)))
