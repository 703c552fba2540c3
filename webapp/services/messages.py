"""Messages and signals from outside a case's diagram (issue 18).

A message goes to one case; a signal to the running cases waiting for it (`signals.py`). Who may send one is
the start-event/lane rule (`cases.lifecycle._may_start`): the office of the lane holding the
catching event, civil affairs of the place (the lead department), or any office covering the
place when the procedure is `startableBy="any"`. Each case is changed under its lock and saved
through `save_run`, like a completion; the child's file and the audit log record the arrival.
"""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy.orm import Session

from ..engine import Engine, NotWaiting, ServiceTaskFailed, context_factory_for
from ..engine.events import KINDS, catch_points
from ..models import Case, User
from . import audit, definitions, routing
from .cases.access import can_view_case
from .cases.casefile import add_entry
from .checking.support import thrown_inside
from .cases.design_errors import design_error
from .cases.lifecycle import _may_start
from .cases.saving import lock_case, save_run
from .errors import Conflict, EngineFailure, Forbidden, Invalid, NotFound, Unprocessable

MAX_NAME = 200
MAX_ID = 2**63 - 1


def deliver_message(session: Session, engine: Engine, case_id, name, data, user: User, now, remote_addr=None) -> Case:
    """Deliver the message `name` with `data` to one case (404 unknown, 403 not yours to send, 409 not waiting)."""
    name, data = valid(name, data)
    if isinstance(case_id, bool) or not isinstance(case_id, int) or not 0 < case_id <= MAX_ID:
        raise NotFound("案件不存在")
    case = lock_case(session, case_id)
    if not (can_view_case(session, user, case) or _is_party(user, case)):
        raise NotFound("案件不存在")  # a stranger learns nothing: not that it runs, nor what it waits for
    if case.status != "running":
        raise Conflict("该案件已结束或出错，不能再接收消息")
    waiting = [w for w in (case.waiting_for or []) if w["kind"] == "message" and w["name"] == name]
    if not waiting:
        raise Conflict(f"该案件没有在等待消息“{name}”", waiting=[w["name"] for w in case.waiting_for or []])
    if not any(may_send(user, case.definition, case.region_code, w) for w in waiting):
        raise Forbidden(f"您所在的单位不能向该案件发送消息“{name}”")
    refuse_thrown_inside(case.definition, "message", name)
    arrive(session, engine, case, "message", name, data, user, now, remote_addr)
    return case


def refuse_thrown_inside(definition, kind: str, name: str) -> None:
    """One rule for messages and signals: what a procedure throws itself (e.g. the county pool's
    answer in a collaboration, a signal an end event raises) only its own step sends; from outside
    it would be a forgery (409)."""
    if name in thrown_inside(definitions.bundle_of(definition), kind):
        raise forged(kind, name)


def forged(kind: str, name: str) -> Conflict:
    """The refusal of a message or signal only the procedure's own step may send."""
    return Conflict(f"{KINDS[kind]}“{name}”由本流程自己的步骤发出，不能从外部发送")


def valid(name, data) -> tuple[str, dict]:
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise Invalid({"name": f"必须是非空的名称（最多 {MAX_NAME} 个字符）"})
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid({"data": "必须是 JSON 对象"})
    return name.strip(), data


def _is_party(user: User, case: Case) -> bool:
    """`user` may send some message or signal the case's diagram catches (now or at another step)."""
    top, called = definitions.bundle_of(case.definition).spec(case.definition.process_id)
    return any(may_send(user, case.definition, case.region_code, {"process_id": process_id, "element": element})
               for process_id, element in catch_points([top, *called.values()]))


def may_send(user: User, definition, region_code: str, waiting: dict) -> bool:
    """The start-event/lane rule for the catching element `waiting` of a case of `definition` at `region_code`."""
    info = definitions.bundle_of(definition)
    lane = info.lane_of(waiting.get("process_id") or definition.process_id, waiting["element"])
    startable_by = info.processes[definition.process_id].startable_by
    try:
        return _may_start(user, lane, region_code, startable_by if startable_by == "any" else None)
    except routing.Unroutable:
        return False


def arrive(session, engine, case, kind, name, data, user, now, remote_addr) -> None:
    workflow = engine.loads(case.workflow_json, context_factory_for(engine, case.id, case.region_code,
                                                                  case.definition.process_id))
    try:
        run = engine.deliver(workflow, kind, name, data)
    except NotWaiting as err:
        raise Conflict(str(err)) from None
    except ServiceTaskFailed as err:
        raise EngineFailure(f"收到{KINDS[kind]}后的自动步骤失败，未保存：{err.cause.message}", code=err.cause.code) from err
    except SpiffWorkflowException as err:  # a condition, a script, a missing variable: the design is at fault
        raise design_error(err, case.definition, case_id=case.id, task_id=None, task_name=None,
                           what=f"{KINDS[kind]}“{name}”") from err
    add_entry(session, case, "event", f"收到{KINDS[kind]}：{name}", now, user, data=dict(data))
    try:
        save_run(session, engine, case, run, now)
    except routing.Unroutable as err:
        raise Unprocessable(f"后续步骤无法分派到承办单位，未保存：{err}") from None
    audit.record(session, now, user, f"case.{kind}", f"case:{case.id}", {"name": name}, remote_addr)
    session.flush()
