"""A signal from outside to the running cases waiting for it (issue 18), found by a query that
already holds the caller's rights.

Who may signal a case is the start-event/lane rule of `messages.may_send`; it only ever grants
cases inside the caller's jurisdiction, and only for procedures where the caller's department
(or civil affairs, the lead, or anyone for `startableBy="any"`) catches that signal. So the
versions are sifted first, from their files alone, and the cases are read as a range of the
caller's area over those versions — light columns, in batches, never the whole table, never a
workflow the caller may not change. A caller without such rights costs no case query at all and
learns nothing about which cases wait. One call reaches at most `MAX_REACHED` cases; `more`
says others still wait (send again). A signal a procedure raises itself is refused (409), as a
message is (`messages.refuse_thrown_inside`).
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import RECORDED_BY
from ..engine import Engine
from ..models import Case, ProcessDefinition, User
from ..models.org import jurisdiction_prefix
from . import definitions
from .cases.saving import lock_case
from .checking.support import event_points
from .errors import Conflict
from .messages import arrive, forged, may_send, valid
from .routing import within

MAX_REACHED = 200  # cases one call changes (each under its lock, in one transaction)
BATCH = 500        # candidate rows read at a time (id, place, version, what it waits for)


@dataclass
class Broadcast:
    name: str
    cases: list[Case]
    more: bool  # other permitted cases still wait: the caller may send again


def broadcast_signal(session: Session, engine: Engine, name, data, user: User, now, remote_addr=None) -> Broadcast:
    """Send the signal `name` to the running cases waiting for it that `user` may signal."""
    name, data = valid(name, data)
    office = user.office
    versions = _versions_for(session, user, name)
    reached, more = [], False
    if versions:
        prefix = jurisdiction_prefix(office.region_code, office.level)
        for case_id in _waiting_cases(session, user, versions, prefix, name):
            if len(reached) == MAX_REACHED:
                more = True
                break
            case = lock_case(session, case_id)  # read afresh: a completion may have moved it meanwhile
            waiting = [w for w in case.waiting_for or [] if w["kind"] == "signal" and w["name"] == name]
            if case.status == "running" and any(may_send(user, case.definition, case.region_code, w) for w in waiting):
                arrive(session, engine, case, "signal", name, data, user, now, remote_addr)
                reached.append(case)
    if not reached:
        raise Conflict(f"没有正在等待信号“{name}”且您有权发送的案件")
    return Broadcast(name, reached, more)


def _versions_for(session: Session, user: User, name: str) -> dict[int, ProcessDefinition]:
    """The versions in which `user`'s office may catch the signal `name` from outside, read from
    their files, not their cases. A signal caught only where the version raises it itself is a forgery."""
    found, from_outside, raised_inside = {}, False, False
    for definition in session.scalars(select(ProcessDefinition).order_by(ProcessDefinition.id)):
        bundle = definitions.bundle_of(definition)
        catching, thrown = event_points(bundle, "signal")
        if name not in catching:
            continue
        if name in thrown:
            raised_inside = True
            continue
        from_outside = True
        if user.office is not None and _may_catch(user, bundle, definition, catching[name]):
            found[definition.id] = definition
    if raised_inside and not from_outside:
        raise forged("signal", name)  # as `messages.refuse_thrown_inside` refuses a message
    return found


def _may_catch(user: User, bundle, definition, points) -> bool:
    """Could `user`'s office be the sender for some catching element of `definition` (its place aside)?"""
    office = user.office
    startable_by = bundle.processes[definition.process_id].startable_by if definition.process_id in bundle.processes else None
    if office.department_code == "civil_affairs" or startable_by == "any":
        return True
    if user.unit_id is not None and not user.is_supervisor:
        return False  # a unit's official acts on the unit's tasks only; a catching lane routes to an office
    for process_id, element in points:
        info = bundle.processes.get(process_id)
        lane = info.lanes.get(element) if info else None
        if lane is not None and RECORDED_BY.get(lane.department, lane.department) == office.department_code:
            return True
    return False


def _waiting_cases(session: Session, user: User, versions: dict, prefix: str, name: str):
    """Ids of the running cases of `versions` inside the caller's area waiting for `name` that
    the caller may signal, in id order, read in batches of light columns."""
    after = 0
    while True:
        rows = session.execute(
            select(Case.id, Case.region_code, Case.definition_id, Case.waiting_for)
            .where(Case.status == "running", Case.waiting_for.is_not(None), within(Case.region_code, prefix),
                   Case.definition_id.in_(list(versions)), Case.id > after)
            .order_by(Case.id).limit(BATCH)).all()
        for case_id, region_code, definition_id, waiting_for in rows:
            waiting = [w for w in waiting_for or [] if w.get("kind") == "signal" and w.get("name") == name]
            if any(may_send(user, versions[definition_id], region_code, w) for w in waiting):
                yield case_id
        if len(rows) < BATCH:
            return
        after = rows[-1][0]
