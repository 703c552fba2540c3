"""A case's life from outside its diagram: opened by a person, a hand-over or the scheduler; cancelled."""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import delete
from sqlalchemy.orm import Session

from ...engine import DataInputMissing, Engine, ServiceTaskFailed, context_factory_for
from ...models import Case, Child, HumanTask, Region, User, WaitingTimer, level_of
from ...models.org import LEVELS, jurisdiction_prefix
from .. import audit, definitions, forms, routing, unit_forms, units, variants
from ..designs.procedures import refuse_if_retired
from ..registry import identity
from ..errors import EngineFailure, Forbidden, Invalid, Unprocessable
from .access import confidentiality
from .casefile import add_entry, open_tasks
from .design_errors import design_error, element_of
from .saving import save_run


def start_case(session: Session, engine: Engine, process_id: str, region_code: str, data, user: User,
               now, remote_addr: str | None = None) -> Case:
    definition = variants.for_region(session, process_id, region_code)  # the place's variant, else national
    refuse_if_retired(session, process_id, definition.name)  # no new cases; running ones go on
    bundle = definitions.bundle_of(definition)
    region = session.get(Region, region_code) if isinstance(region_code, str) else None
    start_form = definitions.form_of(definition, definition.start_form)
    # a school's official opens a case for its own pupils only (the form's school is theirs)
    data = unit_forms.own_unit_start(session, start_form or {}, data, user.unit_id)
    # a unit chosen on the start form (e.g. the child's school) must serve the place (units.for_case)
    forms.validate(units.for_case(session, start_form, region.code if region else None), data,
                   context=forms.Context.at(now))
    if region is None:
        raise Invalid({"region": "未知的行政区划代码"})
    lanes = bundle.processes[process_id].lanes
    needed = routing.deepest_level(lanes.values())
    if LEVELS.index(level_of(region.code)) < LEVELS.index(needed):
        raise Invalid({"region": f"该流程需要精确到{needed_name(needed)}的住所地"})
    start_lane = bundle.start_lane(process_id)
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


def open_case(session: Session, engine: Engine, definition, region_code: str, data: dict, user: User | None, now,
              child: Child | None = None) -> Case:
    """Create the case and run its workflow to the first wait (shared by people and hand-overs).

    `child`: the registered child when the caller knows it (a hand-over, a scheduled visit), so
    a child without an ID number is not registered a second time."""
    child = child or identity.child_for_case(session, data.get("child"), region_code, now, user)
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
        if element_of(err)[0] is None:  # the start data lacks a declared input (ioSpecification)
            raise Unprocessable(f"无法立案：{err}") from None
        raise design_error(err, definition, case_id=None, task_id=None, task_name=None, what="本次立案") from err
    except SpiffWorkflowException as err:  # a condition, a script, a name: the design is at fault
        raise design_error(err, definition, case_id=None, task_id=None, task_name=None, what="本次立案") from err
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
    any office whose jurisdiction covers the place; one that lists departments
    (`startableBy="village,township,welfare_institution"`) by those departments' offices covering it.
    """
    office = user.office
    if office is None:
        return False
    in_jurisdiction = region_code.startswith(jurisdiction_prefix(office.region_code, office.level))
    # `startableBy="village,township"`: the offices of those departments covering the place may file it too.
    listed = {d.strip() for d in (startable_by or "").split(",")} - {"any", "handover"}
    if in_jurisdiction and (startable_by == "any" or office.department_code == "civil_affairs"
                            or office.department_code in listed):
        return True
    if lane is None:
        return False
    route = routing.route(lane, region_code)
    probe = HumanTask(department=route.department, office_region=route.office_region)
    return routing.can_act(user, probe)


def start_scheduled(session: Session, engine: Engine, process_id: str, region_code: str, data: dict, now,
                    child: Child | None = None) -> Case:
    """Start a case nobody starts by hand (the scheduler's, e.g. one monitoring visit)."""
    return open_case(session, engine, variants.for_region(session, process_id, region_code), region_code, data, None, now,
                     child)


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
        open_case(session, engine, variants.for_region(session, follow_up.process_id, case.region_code),
                  case.region_code, {**follow_up.data, "handed_over_case": case.id}, None, now, case.child)
