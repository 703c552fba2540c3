"""Completing a reported child's identity: a reporter may know only a name or a description;
police or civil affairs handling the case add the ID number, birth date and sex later.

When the ID number already belongs to a registered child, the case (its file entries, its
workflow's child data) moves to that child and the provisional record goes: one child, one
file, never a duplicate.
"""
from datetime import date

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...engine import Engine
from ...models import Base, Case, CaseFileEntry, Child, MonitoringPlan, User
from ...models.org import jurisdiction_prefix
from .. import audit, forms
from ..errors import Forbidden, Invalid
from .access import can_view_case
from .casefile import add_entry
from .saving import lock_case

# Who completes an identity: the offices that can check it against the household register.
IDENTIFYING_DEPARTMENTS = ("police", "civil_affairs")

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "姓名", "minLength": 1, "maxLength": 50, "pattern": "[^\\s\u3000]"},
        "id_number": {"type": "string", "title": "公民身份号码", "format": "cn-resident-id",
                      "x-id-matches": {"birth_date": "birth_date", "gender": "gender"}},
        "birth_date": {"type": "string", "title": "出生日期", "format": "date", "x-not-future": 0,
                       "x-max-age-years": 18},
        "gender": {"type": "string", "title": "性别", "enum": ["female", "male"], "x-enum-titles": ["女", "男"]},
    },
    "required": ["id_number"],
    "additionalProperties": False,
}


def incomplete(child: Child) -> bool:
    return child.id_number is None or child.birth_date is None or child.gender is None


def may_complete(session: Session, user: User, case: Case) -> bool:
    """Police or civil affairs handling the case, while the child's identity is incomplete."""
    office = user.office
    return (office is not None and office.department_code in IDENTIFYING_DEPARTMENTS and incomplete(case.child)
            and can_view_case(session, user, case))


def complete_identity(session: Session, engine: Engine, case_id: int, user: User, values, now,
                      remote_addr: str | None = None) -> Case:
    """Record the child's ID number (birth date and sex are read from it when not given)."""
    case = lock_case(session, case_id)
    if not may_complete(session, user, case):
        raise Forbidden("只有办理本案的公安机关、民政部门可以补全儿童身份，且仅在身份信息不完整时")
    values = {k: v.strip() if isinstance(v, str) else v for k, v in (values or {}).items() if v not in (None, "")}
    if isinstance(values.get("id_number"), str):
        values["id_number"] = values["id_number"].upper()
    forms.validate(SCHEMA, values, context=forms.Context.at(now))
    number = values["id_number"]
    born = date.fromisoformat(values["birth_date"]) if values.get("birth_date") else _born_from(number)
    gender = values.get("gender") or ("male" if int(number[16]) % 2 else "female")
    provisional = case.child
    registered = session.scalars(select(Child).where(Child.id_number == number)).first()
    if registered is None:
        try:
            with session.begin_nested():  # PostgreSQL: the number may be registered at this moment elsewhere
                provisional.id_number, provisional.birth_date, provisional.gender = number, born, gender
                if values.get("name"):
                    provisional.name = values["name"]
            child, linked = provisional, False
        except IntegrityError:
            registered = session.scalars(select(Child).where(Child.id_number == number)).one()
    if registered is not None:
        if registered.birth_date and registered.birth_date != born:
            raise Invalid({"birth_date": "出生日期与该公民身份号码的登记信息不符"})
        if values.get("name") and values["name"] != registered.name:  # as a case's start refuses it
            raise Invalid({"name": "该公民身份号码已登记，但姓名与登记信息不符，请核对"})
        if not values.get("name") and not _in_jurisdiction(user, registered):
            raise Invalid({"name": "该公民身份号码登记在其他地区，请同时填写儿童的姓名以便核对"})
        child, linked = registered, True
        _move_case(session, case, provisional, registered)
    _update_workflow(engine, case, child)
    add_entry(session, case, "event", f"补全儿童身份：{child.name}" + ("（已关联登记在册的儿童）" if linked else ""), now, user,
              data={"linked_to": child.id if linked else None})
    audit.record(session, now, user, "child.identify", f"case:{case.id}",
                 {"child": child.id, "linked": linked, "provisional": provisional.id}, remote_addr, child_id=child.id)
    session.flush()
    return case


def _in_jurisdiction(user: User, child: Child) -> bool:
    """A number registered outside the caller's jurisdiction links only with the registered name:
    the number alone would name any child and open their file (guardians, risk) to the caller."""
    office = user.office
    return office is not None and child.region_code is not None and \
        child.region_code.startswith(jurisdiction_prefix(office.region_code, office.level))


def _born_from(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _move_case(session: Session, case: Case, provisional: Child, registered: Child) -> None:
    """The case and its entries to the registered child; the provisional record goes when nothing else is on it."""
    case.child = registered
    session.execute(update(CaseFileEntry).where(CaseFileEntry.case_id == case.id).values(child_id=registered.id))
    session.execute(update(MonitoringPlan).where(MonitoringPlan.case_id == case.id).values(child_id=registered.id))
    session.flush()
    others = session.scalar(select(func.count()).select_from(Case).where(Case.child_id == provisional.id))
    if others == 0:
        for column in _columns_naming_a_child():  # every row on the provisional child (entries, plans, history…)
            session.execute(update(column.table).where(column == provisional.id).values({column.name: registered.id}))
        session.delete(provisional)


def _columns_naming_a_child():
    """Each column with a foreign key to children.id, read from the models so a new table is never missed."""
    return [column for table in Base.metadata.sorted_tables for column in table.columns
            if any(fk.column.table.name == "children" for fk in column.foreign_keys)]


def _update_workflow(engine: Engine, case: Case, child: Child) -> None:
    """Later steps and documents read the child from the workflow's data: give them the identity."""
    workflow = engine.loads(case.workflow_json)
    known = {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
             "gender": child.gender}
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED):
        if isinstance(task.data.get("child"), dict):
            task.data["child"] = {**task.data["child"], **known}
    case.workflow_json = engine.dumps(workflow)
