"""Units (schools, hospitals, institutions): create, edit, deactivate, list those serving a place,
and the child's school. The form keyword choosing a unit is `unit_forms.py`; which unit a lane's
task goes to is decided in `routing.py` (both re-exported here for callers that know units)."""
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import DEPARTMENTS
from ..models import Case, CaseFileEntry, Child, HumanTask, Office, Region, Unit, User
from ..models.org import jurisdiction_prefix
from . import audit, definitions, organisation, routing
from .cases.saving import lock_case
from .errors import Forbidden, Invalid, NotFound
from .routing import ACTS_FOR, departments_acting_for, office_region  # noqa: F401 (re-exported)
from .unit_forms import copy_names, for_case, serving, spec_departments, unit_fields  # noqa: F401

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
PREFIX = re.compile(r"^[0-9]{2,12}$")


def office_of(session: Session, unit: Unit) -> Office:
    """The office of the unit's department for its place (created if missing): its officials' office."""
    return organisation.ensure_office(session, unit.department_code, session.get(Region, office_region(unit)))


def all_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.region_code, Unit.department_code, Unit.name)))


def get(session: Session, unit_id) -> Unit:
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None:
        raise NotFound("单位不存在")
    return unit


def problems(session: Session, values: dict, unit: Unit | None = None) -> dict[str, str]:
    """Why `values` (code, name, department, region, serves) cannot make or change a unit."""
    errors = {}
    code = (values.get("code") or "").strip()
    if not CODE.match(code):
        errors["code"] = "简码须为 1–40 位小写字母、数字或连字符（如 yl-school-1）"
    else:
        other = session.scalars(select(Unit).where(Unit.code == code)).first()
        if other is not None and other is not unit:
            errors["code"] = f"简码“{code}”已被“{other.name}”使用"
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = "此项必填"
    elif len(name) > 200:
        errors["name"] = "不能超过 200 个字"
    department = (values.get("department") or "").strip()
    if department not in DEPARTMENTS or department == "guardian":
        errors["department"] = f"部门“{department}”不是已知部门" if department else "请选择部门"
    region = session.get(Region, (values.get("region") or "").strip() or "-")
    if region is None:
        errors["region"] = f"行政区划“{values.get('region') or ''}”不存在"
    serves = (values.get("serves") or "").replace(",", " ").replace("，", " ").split()
    if not serves:
        errors["serves"] = "请填写服务范围（行政区划代码前缀，如 430104）"
    elif not all(PREFIX.match(p) for p in serves):
        errors["serves"] = "服务范围须为 2–12 位数字的行政区划代码前缀，多个以空格分隔"
    elif len(" ".join(serves)) > 400:
        errors["serves"] = "服务范围过长"
    return errors


def _apply(unit: Unit, values: dict) -> None:
    unit.code = values["code"].strip()
    unit.name = values["name"].strip()
    unit.department_code = values["department"].strip()
    unit.region_code = values["region"].strip()
    unit.serves = " ".join((values["serves"]).replace(",", " ").replace("，", " ").split())


def create(session: Session, values: dict) -> Unit:
    errors = problems(session, values)
    if errors:
        raise Invalid(errors)
    organisation.ensure_departments(session)
    unit = Unit(active=True)
    _apply(unit, values)
    session.add(unit)
    session.flush()
    return unit


def update(session: Session, unit_id, values: dict) -> Unit:
    unit = get(session, unit_id)
    errors = problems(session, values, unit)
    if errors:
        raise Invalid(errors)
    _apply(unit, values)
    session.flush()
    return unit


def set_active(session: Session, unit_id, active: bool) -> Unit:
    """A deactivated unit is offered in no form; tasks already routed to it stay with it."""
    unit = get(session, unit_id)
    unit.active = active
    session.flush()
    return unit


# -- the child's school ----------------------------------------------------------------------
def change_school(session: Session, child: Child, unit: Unit | None, by: User, now) -> list[HumanTask]:
    """Register `unit` as the child's school (None: no school) and hand the open school tasks of
    the child's running cases to it: those at the former school, and those of school lanes that
    went to the education office for want of a school. Returns the tasks that moved."""
    office = by.office
    if not (by.is_admin or (office is not None and office.department_code == "civil_affairs" and child.region_code
                            .startswith(jurisdiction_prefix(office.region_code, office.level)))):
        raise Forbidden("只有管理员或儿童居住地的民政部门可以变更儿童的就读学校")
    if unit is not None and (unit.department_code != "education" or not unit.active):
        raise Invalid({"school": "请选择在用的学校（教育部门的单位）"})
    if unit is not None and not unit.serves_region(child.region_code):
        raise Invalid({"school": f"“{unit.name}”不服务儿童居住地"})
    previous = session.get(Unit, child.school_unit_id) if child.school_unit_id else None
    if previous is unit:
        raise Invalid({"school": "该学校已是儿童登记的学校"})
    lock_running_cases(session, child)
    child.school_unit_id = unit.id if unit else None
    return school_changed(session, child, previous, unit, by, now)


def lock_running_cases(session: Session, child: Child) -> None:
    """Take the lock of each running case of the child, as a completion takes it (in id order), before
    the school is written: a completion meanwhile has either saved (its new school task is then read
    and moves too) or waits and reads the new school. Taken before the child's row is written, so a
    completion that writes the child cannot deadlock with the change."""
    with session.no_autoflush:
        case_ids = session.scalars(select(Case.id).where(Case.child_id == child.id, Case.status == "running")
                                   .order_by(Case.id)).all()
    for case_id in case_ids:
        lock_case(session, case_id)


def school_changed(session: Session, child: Child, previous: Unit | None, unit: Unit | None, by: User,
                   now) -> list[HumanTask]:
    """The one place open school tasks follow the child's school, whoever changed it (civil affairs
    on the child's file, the registry's edit or import): those at the former school, and those of
    school lanes that went to the education office for want of a school, go to `unit`; a file
    entry and an audit entry say so. The caller has checked the change and written it."""
    moved = []
    lock_running_cases(session, child)
    for task, case in session.execute(select(HumanTask, Case).join(Case, Case.id == HumanTask.case_id).where(
            Case.child_id == child.id, Case.status == "running", HumanTask.state == "open")
            .execution_options(populate_existing=True)).all():
        lane = definitions.bundle_of(case.definition).lane_of(task.process_id, task.name)
        if lane is None or lane.unit_from != routing.CHILD_SCHOOL_FIELD:
            continue
        if task.unit_id not in (None, previous.id if previous else None):
            continue  # the case's data chose another school for this procedure: it stays there
        route = routing.route(lane, case.region_code, unit)
        task.unit_id, task.department, task.office_region = route.unit_id, route.department, route.office_region
        task.claimed_by_id = None
        moved.append(task)
    detail = {"from": previous.name if previous else None, "to": unit.name if unit else None,
              "tasks": [t.id for t in moved]}
    session.add(CaseFileEntry(child=child, case=None, kind="event", data=detail, author_id=by.id,
                              office_id=by.office_id, created_at=now,
                              title=f"就读学校变更：{detail['from'] or '未登记'} → {detail['to'] or '未登记'}"))
    audit.record(session, now, by, "child.school", f"child:{child.id}", detail, child_id=child.id)
    session.flush()
    return moved
