"""A case's life from outside its diagram: opened by a person, a hand-over or the scheduler; cancelled."""
from datetime import date

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...engine import DataInputMissing, Engine, ServiceTaskFailed, context_factory_for
from ...models import Case, Child, HumanTask, Region, User, WaitingTimer, level_of
from ...models.org import LEVELS, jurisdiction_prefix
from .. import audit, definitions, forms, routing
from ..errors import EngineFailure, Forbidden, Invalid, Unprocessable
from ..locking import begin_write
from .access import confidentiality
from .casefile import add_entry, open_tasks
from .saving import save_run


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
    case = open_case(session, engine, definition, region.code, data, user, now)
    audit.record(session, now, user, "case.start", f"case:{case.id}", {"process": process_id, "region": region.code}, remote_addr)
    session.flush()
    return case


def open_case(session: Session, engine: Engine, definition, region_code: str, data: dict, user: User | None, now) -> Case:
    """Create the case and run its workflow to the first wait (shared by people and hand-overs)."""
    child = _child_for(session, data.get("child"), region_code, now)
    case = Case(definition=definition, child=child, region_code=region_code, status="running",
                workflow_json="{}", started_by_id=user.id if user else None, started_at=now)
    session.add(case)
    session.flush()
    factory = context_factory_for(engine, case.id, case.region_code, definition.process_id)
    try:
        run = engine.start(definitions.bundle_of(definition), definition.process_id, dict(data), factory)
    except ServiceTaskFailed as err:
        raise EngineFailure(f"流程启动失败：{err.cause.message}", code=err.cause.code) from err
    except DataInputMissing as err:
        raise Unprocessable(f"无法立案：{err}") from None
    except SpiffWorkflowException as err:
        raise EngineFailure(f"流程启动失败：{err}") from err
    title = f"立案：{definition.name}" if not data.get("handed_over_from") else f"转入：{definition.name}"
    title = data.get("opening_title") or title  # e.g. "儿童督导员半年回访（第 3 次）" for a scheduled visit
    # A confidential reporter is not named on the child's file through the author either.
    author = None if confidentiality(definition)[0] else user
    add_entry(session, case, "event", title, now, author, data={"reason": data.get("reason"), "from": data.get("handed_over_from")})
    try:
        save_run(session, engine, case, run, now)
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
    if not isinstance(info, dict) or not all(isinstance(info.get(k), str) for k in ("id_number", "name", "birth_date")):
        # A start form that does not ask for the child (a diagram from elsewhere): say so, not a 500.
        raise Invalid({"child": "立案数据缺少儿童信息（child：id_number、name、birth_date、gender）"})
    number = info["id_number"].upper()
    begin_write(session)  # SQLite: the one writer from here on, so the look-up is current
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
    # The registered child, not a namesake: a case never renames, re-dates or moves a child (a move is
    # recorded by civil affairs), so a known ID number with another name is refused, not merged.
    if info.get("name") and str(info["name"]).strip() != child.name:
        raise Invalid({"child.name": "该公民身份号码已登记，但姓名与登记信息不符，请核对"})
    return child


def start_scheduled(session: Session, engine: Engine, process_id: str, region_code: str, data: dict, now) -> Case:
    """Start a case nobody starts by hand (the scheduler's, e.g. one monitoring visit)."""
    return open_case(session, engine, definitions.get_latest_or_404(session, process_id), region_code, data, None, now)


def cancel_case(session: Session, case: Case, reason: str, now, user: User | None = None) -> None:
    """Stop a running (or failed) case from outside its diagram (e.g. its monitoring plan closed)."""
    if case.status not in ("running", "error"):
        return
    for task in open_tasks(session, case):
        task.state = "cancelled"
    session.execute(delete(WaitingTimer).where(WaitingTimer.case_id == case.id))
    case.status = "cancelled"
    case.ended_at = now
    add_entry(session, case, "event", f"流程取消：{reason}", now, user)


def start_follow_ups(session: Session, engine: Engine, case: Case, follow_ups: list, now) -> None:
    """Hand-overs a handler asked for (`handlers.FollowUp`): each procedure starts for the same
    child in the same transaction, knowing which case handed it over."""
    for follow_up in follow_ups:
        open_case(session, engine, definitions.get_latest_or_404(session, follow_up.process_id),
                  case.region_code, {**follow_up.data, "handed_over_case": case.id}, None, now)
