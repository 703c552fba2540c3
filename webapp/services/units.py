"""Units (schools, hospitals, institutions): create, edit, deactivate, list those serving a place,
and the child's school. The form keyword choosing a unit is `unit_forms.py`; which unit a lane's
task goes to is decided in `routing.py` (both re-exported here for callers that know units)."""
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import DEPARTMENTS
from ..models import Office, Region, Unit
from . import organisation
from .errors import Invalid, NotFound
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
