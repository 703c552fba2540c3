"""Regions, offices and accounts: create and look up (used by demo data and the admin pages)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import DEPARTMENTS
from ..models import Department, Office, Region, User, level_of
from .accounts import hash_password


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
                        name=f"{region.name}{DEPARTMENTS[department][0]}")
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
