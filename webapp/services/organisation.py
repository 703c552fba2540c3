"""Regions, offices and accounts: create and look up (used by demo data and the admin pages)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import DEPARTMENTS, office_name
from ..models import Department, Office, Region, User, level_of
from ..models.org import ROLES
from . import sessions
from .accounts import hash_password, password_problem
from .errors import Invalid, NotFound


def ensure_departments(session: Session) -> None:
    for code, (name, _levels) in DEPARTMENTS.items():
        if session.get(Department, code) is None:
            session.add(Department(code=code, name=name))
    session.flush()


def ensure_region(session: Session, code: str, name: str, parent: str | None) -> Region:
    region = session.get(Region, code)
    if region is None:
        region = Region(code=code, name=name, level=level_of(code), parent_code=parent)
        session.add(region)
        session.flush()
    return region


def ensure_office(session: Session, department: str, region: Region) -> Office:
    office = session.scalars(select(Office).where(Office.department_code == department,
                                                  Office.region_code == region.code)).first()
    if office is None:
        office = Office(department_code=department, region_code=region.code,
                        name=office_name(department, region.name))
        session.add(office)
        session.flush()
    return office


def ensure_user(session: Session, username: str, password: str, now, display_name: str,
                role: str = "official", office: Office | None = None) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = User(username=username, display_name=display_name, password_hash=hash_password(password),
                    role=role, office=office, created_at=now)
        session.add(user)
        session.flush()
    return user


# -- reading and administering (the admin pages) -------------------------------------------
def region_names(session: Session, codes) -> dict[str, str]:
    codes = set(codes)
    if not codes:
        return {}
    return dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())


def regions(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).order_by(Region.code)))


def regions_covered(session: Session, office: Office | None, level: str = "village") -> list[Region]:
    """The regions at `level` inside an office's jurisdiction (where it may open a case)."""
    if office is None:
        return []
    from ..models.org import jurisdiction_prefix
    prefix = jurisdiction_prefix(office.region_code, office.level)
    return list(session.scalars(select(Region).where(Region.level == level, Region.code.startswith(prefix, autoescape=True))
                                .order_by(Region.code)))


def offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.region_code, Office.department_code)))


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def create_office(session: Session, department: str, region_code: str) -> Office:
    region = session.get(Region, region_code) if region_code else None
    errors = {}
    if department not in DEPARTMENTS or department == "guardian":
        errors["department"] = "请选择部门"
    if region is None:
        errors["region"] = "请选择行政区划"
    elif department in DEPARTMENTS and region.level not in DEPARTMENTS[department][1]:
        errors["region"] = "该部门不在此层级设立单位"
    if not errors and session.scalars(select(Office).where(Office.department_code == department,
                                                           Office.region_code == region.code)).first():
        errors["region"] = "该单位已存在"
    if errors:
        raise Invalid(errors)
    ensure_departments(session)
    return ensure_office(session, department, region)


def create_user(session: Session, username: str, display_name: str, password: str, role: str,
                office_id, now) -> User:
    username, display_name = (username or "").strip(), (display_name or "").strip()
    office = session.get(Office, int(office_id)) if str(office_id or "").isdigit() else None
    errors = {}
    if not username:
        errors["username"] = "此项必填"
    elif len(username) > 80:
        errors["username"] = "不能超过 80 个字"
    elif session.scalars(select(User).where(User.username == username)).first():
        errors["username"] = "该用户名已被使用"
    if not display_name:
        errors["display_name"] = "此项必填"
    problem = password_problem(password, username=username, display_name=display_name)
    if problem:
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = "请从给定选项中选择"
    elif role in ("official", "supervisor") and office is None:
        errors["office"] = "办事人员和主管必须属于一个单位"
    elif role == "tester" and office is not None:
        errors["office"] = "政策测试员不属于任何单位（看不到儿童的真实数据）"
    if errors:
        raise Invalid(errors)
    user = User(username=username, display_name=display_name, password_hash=hash_password(password),
                role=role, office=office, created_at=now)
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, user_id, active: bool, now) -> User:
    """Deactivating also ends every session and API token of the account at once."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound("用户不存在")
    user.active = active
    if not active:
        sessions.revoke_all(session, user.id, now, "deactivated")
    session.flush()
    return user
