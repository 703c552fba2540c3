"""The cases a user may read, as one SQL condition: `cases.can_view_case` for a whole list.

Lists (case search, 我的案件, a child's masked ID number) cannot ask `can_view_case` row by
row and still page in SQL, so this module says the same rule as a WHERE clause;
tests/test_registry_search.py checks that the two agree case by case. Each result's reason
(`why_case`) is then said for the page's rows only.
"""
from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import Session

from ...models import Case, HumanTask, ProcessDefinition, User
from ...models.org import jurisdiction_prefix, region_at_level
from ..cases.access import PRIVATE_PROCESSES, SUPERVISED_PRIVATE
from ..routing import within


def case_visible(user: User):
    """WHERE clause on `Case`: the cases `user` may read (services/cases/access.py in SQL)."""
    office = user.office
    if office is None:
        return false()
    prefix = jurisdiction_prefix(office.region_code, office.level)
    private = Case.definition_id.in_(select(ProcessDefinition.id).where(ProcessDefinition.process_id.in_(PRIVATE_PROCESSES)))
    opened_here = Case.started_by_id.in_(select(User.id).where(User.office_id == office.id))
    acts = select(HumanTask.id).where(HumanTask.case_id == Case.id, HumanTask.department == office.department_code)
    if user.is_supervisor:
        acts = acts.where(within(HumanTask.office_region, prefix))
    else:
        unit = HumanTask.unit_id == user.unit_id if user.unit_id is not None else HumanTask.unit_id.is_(None)
        acts = acts.where(HumanTask.office_region == office.region_code, unit)
    ordinary = [opened_here, exists(acts)]
    if office.department_code == "civil_affairs":
        ordinary.append(within(Case.region_code, prefix))
    same_unit = HumanTask.unit_id.is_(None) if user.unit_id is None else HumanTask.unit_id == user.unit_id
    held = select(HumanTask.id).where(HumanTask.case_id == Case.id, same_unit, or_(  # a school: its own tasks only
        and_(HumanTask.department == office.department_code, HumanTask.office_region == office.region_code),
        HumanTask.completed_office_id == office.id))
    private_ok = [opened_here, exists(held)]
    if office.department_code == "civil_affairs" and office.level == "county":
        private_ok.append(within(Case.region_code, prefix))
    if user.is_supervisor:  # a revocation case: the acting department's supervisors over it too
        supervised = Case.definition_id.in_(
            select(ProcessDefinition.id).where(ProcessDefinition.process_id.in_(SUPERVISED_PRIVATE)))
        private_ok.append(and_(supervised, exists(acts)))
    return or_(and_(~private, or_(*ordinary)), and_(private, or_(*private_ok)))


def mine(user: User):
    """WHERE clause on `Case`: cases the user's office opened or completed a step of (我的案件)."""
    office = user.office
    if office is None:
        return false()
    acted = select(HumanTask.id).where(HumanTask.case_id == Case.id, HumanTask.completed_office_id == office.id)
    return or_(Case.started_by_id.in_(select(User.id).where(User.office_id == office.id)), exists(acted))


def why_case(session: Session, user: User, case: Case) -> str:
    """Why `user` may see `case`, in Chinese (the strongest reason first)."""
    office = user.office
    if case.started_by_id is not None and session.scalar(select(User.office_id).where(User.id == case.started_by_id)) == office.id:
        return f"本案由{office.name}立案"
    done = session.scalar(select(HumanTask.title).where(HumanTask.case_id == case.id,
                                                         HumanTask.completed_office_id == office.id).limit(1))
    if done:
        return f"{office.name}办理过本案的步骤“{done}”"
    waiting = session.scalar(select(HumanTask.title).where(
        HumanTask.case_id == case.id, HumanTask.state == "open", HumanTask.department == office.department_code,
        within(HumanTask.office_region, jurisdiction_prefix(office.region_code, office.level))).limit(1))
    if waiting:
        return f"本案的步骤“{waiting}”由{office.name}{'辖区' if user.is_supervisor else ''}办理"
    if office.department_code == "civil_affairs":
        if office.region_code == region_at_level(case.region_code, "county"):
            return f"案件所在地属{office.name}主管的县（区）"
        return f"案件所在地在{office.name}辖区内"
    return f"{office.name}参与办理本案"
