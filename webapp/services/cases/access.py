"""Who may read a case, a child's file and a task's data; the confidential reporter; the private
procedures (the psychological file, revocation cases), whose every read is audited."""
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from ...models import Case, CaseFileEntry, Child, HumanTask, User
from ...models.org import jurisdiction_prefix, region_at_level
from .. import audit, definitions, routing
from ..errors import Forbidden, NotFound
from .casefile import cases_of


def can_view_case(session: Session, user: User, case: Case) -> bool:
    """Offices that hold or held a task of the case, and civil affairs of its place, may read it.

    A private procedure is narrower: see `_handles_private_case`.
    """
    office = user.office
    if office is None:
        return False
    if is_private(case):
        return _handles_private_case(session, user, case)
    if office.department_code == "civil_affairs" and case.region_code.startswith(jurisdiction_prefix(office.region_code, office.level)):
        return True
    if case.started_by is not None and case.started_by.office_id == office.id:
        return True
    tasks = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, or_(
        HumanTask.department == office.department_code, HumanTask.completed_office_id == office.id))).all()
    return any(routing.can_act(user, t) or did(user, t) for t in tasks)


def did(user: User, task: HumanTask) -> bool:
    """`user`'s office (or unit) completed `task`: it keeps reading what it did, e.g. after the
    child moved away and the case's open work went to the new place (services/moves.py)."""
    return task.completed_office_id is not None and task.completed_office_id == user.office_id \
        and task.unit_id == user.unit_id


CONFIDENTIAL_MASK = "由强制报告责任主体报告（报告人身份依法保密）"
# What a reveal of the confidential fields is recorded as (POLICY: the reporter's identity is
# kept secret; who learned it, and when, must be known).
REPORTER_READ = "reporter.read"


def sees_confidential(user: User, case: Case) -> bool:
    """The reporter is shown to the departments named in `confidentialTo` (police, civil
    affairs) only while their office handles the case: it holds or held one of its tasks, or
    (civil affairs) leads for the child's county. Not their other offices, not anyone else."""
    fields, seen_by = confidentiality(case.definition)
    if not fields:
        return True
    office = user.office
    if office is None or office.department_code not in seen_by:
        return False
    if office.department_code == "civil_affairs" and office.region_code == region_at_level(case.region_code, "county"):
        return True
    session = object_session(case)
    if session is None:  # detached: nothing to ask, so nothing revealed
        return False
    tasks = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, or_(
        HumanTask.department == office.department_code, HumanTask.completed_office_id == office.id))).all()
    return any(t.completed_office_id == office.id or routing.can_act(user, t) for t in tasks)


def reveals_confidential(user: User, case: Case, *datas) -> bool:
    """Whether showing `datas` (as given) to `user` names the confidential reporter: such a read is audited."""
    fields, _seen_by = confidentiality(case.definition)
    if not fields or not sees_confidential(user, case):
        return False
    return any(isinstance(d, dict) and any(d.get(f) not in (None, "", CONFIDENTIAL_MASK) for f in fields)
               for d in datas)


def shown_data(user: User, case: Case, data: dict) -> dict:
    """`data` of `case` as `user` may see it: the start-data fields the procedure declares
    confidential (`confidentialFields` on its start event) are masked for everyone but
    `sees_confidential`. Every view that shows task data goes through here."""
    fields, _seen_by = confidentiality(case.definition)
    if not fields or not isinstance(data, dict) or sees_confidential(user, case):
        return data
    return {key: CONFIDENTIAL_MASK if key in fields else value for key, value in data.items()}


def opener_shown(user: User, case: Case) -> User | None:
    """Who opened the case, as `user` may see it: not named where the opener is a confidential reporter."""
    return case.started_by if sees_confidential(user, case) else None


_CONFIDENTIALITY: dict[tuple[int, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def confidentiality(definition) -> tuple[tuple[str, ...], tuple[str, ...]]:
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
        audit_private_read(session, user, f"case:{case.id}", {"case": case.id}, now, remote_addr, case.child_id,
                           action=private_read_action(case))
    return case


# The task data and file entries of these procedures form the child's psychological health
# file (心理健康档案, chongqing (十一), shanghai (十二)). Children's information is used only for
# its purpose, access is limited and recorded (chongqing (二十二), shanghai (二十一), hubei 四.(三)).
# A revocation case holds the abuse, neglect or sexual harm a child suffered (未成年人保护法 第一百一十条:
# 保护未成年人隐私; 民发〔2019〕62号): the same narrow reading, and besides the acting offices the
# supervisors of their department over them (`SUPERVISED_PRIVATE`), who oversee its deadlines. The legal aid
# opened from it for the victim (legal_aid) carries the same facts and is read the same way.
PRIVATE_READS = {"psych_referral": "psych.read", "guardianship_revocation": "revocation.read", "legal_aid": "revocation.read"}
PRIVATE_PROCESSES = frozenset(PRIVATE_READS)
SUPERVISED_PRIVATE = frozenset({"guardianship_revocation", "legal_aid"})


PRIVATE_READ = "psych.read"
REVOCATION_READ = "revocation.read"


def is_private(case: Case) -> bool:
    return case.definition.process_id in PRIVATE_PROCESSES


def private_read_action(case: Case) -> str:
    """The audit action a read of this private case is recorded under."""
    return PRIVATE_READS.get(case.definition.process_id, PRIVATE_READ)


def _handles_private_case(session: Session, user: User, case: Case) -> bool:
    """The civil affairs office of the child's county, the office that opened the case, and the
    offices that hold or held one of its tasks; not higher offices nor other places' supervisors.
    A unit's official only through the unit's own tasks (not another school's of the same office)."""
    office = user.office
    if office.department_code == "civil_affairs" and office.region_code == region_at_level(case.region_code, "county"):
        return True
    if case.started_by is not None and case.started_by.office_id == office.id:
        return True
    same_unit = HumanTask.unit_id.is_(None) if user.unit_id is None else HumanTask.unit_id == user.unit_id
    held = select(HumanTask.id).where(HumanTask.case_id == case.id, same_unit, or_(
        (HumanTask.department == office.department_code) & (HumanTask.office_region == office.region_code),
        HumanTask.completed_office_id == office.id,
    )).limit(1)
    if session.scalars(held).first() is not None:
        return True
    if user.is_supervisor and case.definition.process_id in SUPERVISED_PRIVATE:
        over = select(HumanTask.id).where(HumanTask.case_id == case.id, HumanTask.department == office.department_code,
                                          routing.within(HumanTask.office_region,
                                                         jurisdiction_prefix(office.region_code, office.level))).limit(1)
        return session.scalars(over).first() is not None
    return False


def audit_private_read(session: Session, user: User, target: str, detail: dict | None = None,
                       now=None, remote_addr: str | None = None, child_id: int | None = None,
                       action: str = PRIVATE_READ, into: audit.PendingReads | None = None) -> None:
    """Record a read of a private case (`audit.record_read`, its own transaction, or `into` the reads
    the view commits): `psych.read` for the psychological health file, `revocation.read` for a
    revocation case."""
    audit.record_read(session, user, action, target, child_id=child_id, detail=detail, now=now,
                      remote_addr=remote_addr, into=into)


def audit_private_reads(session: Session, user: User, target: str, shown: list[Case], now=None,
                        remote_addr: str | None = None, child_id: int | None = None,
                        into: audit.PendingReads | None = None) -> None:
    """One entry per kind of private case among `shown` (a child's file lists several)."""
    by_action: dict[str, list[int]] = {}
    for case in shown:
        by_action.setdefault(private_read_action(case), []).append(case.id)
    for action, ids in sorted(by_action.items()):
        audit_private_read(session, user, target, {"cases": sorted(ids)}, now, remote_addr, child_id, action=action,
                           into=into)


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
        audit_private_reads(session, viewer, f"child:{child.id}", [c for c in private if c.id in readable], now,
                            remote_addr, child.id)
    return entries


def child_for(session: Session, child_id, user: User) -> Child:
    """A child whose file the user may read: they may view at least one of the child's cases."""
    child = session.get(Child, child_id) if isinstance(child_id, int) else None
    if child is None:
        raise NotFound("儿童档案不存在")
    if not any(can_view_case(session, user, c) for c in cases_of(session, child)):
        raise Forbidden("您所在的单位无权查看该儿童档案")
    return child
