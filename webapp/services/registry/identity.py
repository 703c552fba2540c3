"""The one place a case finds its child in the registry, or registers it: never twice by ID number.

A case names its child by the start form's `child` (name, ID number, birth date, sex). A known
ID number links the case to that entry (and a different name is refused, not merged: a case
never renames, re-dates or moves a child); an unknown one registers the child where the case
is opened, recorded in the entry's history as registered by the case.
"""
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Child, RegistryChange, User
from ..errors import Invalid
from ..locking import begin_write


UNNAMED_CHILD = "姓名不详"


def child_for_case(session: Session, info: dict, region_code: str, now, user: User | None = None) -> Child:
    """A reporter may know only a name or a description (a mandatory report): such a child is
    registered without an ID number, and police or civil affairs complete it later
    (`services/cases/identity.py`), which links the case to the registered child if the number
    turns out to be known."""
    if not isinstance(info, dict) or not any(isinstance(info.get(k), str) and info[k].strip()
                                             for k in ("id_number", "name", "description")) \
            or any(info.get(k) is not None and not isinstance(info[k], str)
                   for k in ("id_number", "name", "birth_date", "gender", "description")):
        # A start form that does not ask for the child (a diagram from elsewhere): say so, not a 500.
        raise Invalid({"child": "立案数据缺少儿童信息（child：姓名或描述，以及已知的公民身份号码、出生日期、性别）"})
    if not info.get("id_number"):
        return _register(session, info, None, region_code, now, user)
    number = info["id_number"].upper()
    begin_write(session)  # SQLite: the one writer from here on, so the look-up is current
    child = session.scalars(select(Child).where(Child.id_number == number)).first()
    if child is None:
        try:  # PostgreSQL: another node may be registering the same child at this moment; then it is theirs
            with session.begin_nested():
                return _register(session, info, number, region_code, now, user)
        except IntegrityError:
            child = session.scalars(select(Child).where(Child.id_number == number)).one()
    if info.get("name") and str(info["name"]).strip() != child.name:
        raise Invalid({"child.name": "该公民身份号码已登记，但姓名与登记信息不符，请核对"})
    return child


def _register(session: Session, info: dict, number: str | None, region_code: str, now, user: User | None) -> Child:
    born = info.get("birth_date")
    child = Child(id_number=number, name=str(info.get("name") or UNNAMED_CHILD).strip(), gender=info.get("gender"),
                  birth_date=date.fromisoformat(born) if born else None, description=info.get("description"),
                  categories=[], region_code=region_code, created_at=now)
    session.add(child)
    session.flush()
    session.add(RegistryChange(
        child_id=child.id, at=now, kind="case", reason="立案时登记",
        changes={"id_number": [None, number], "name": [None, child.name], "region": [None, region_code]},
        # not who: the case records who started it, and a mandatory report's reporter stays confidential
        user_id=None, office_id=None))
    return child
