"""Register a child, change the entry, and keep every change as history (一人一档).

Each write records one `RegistryChange`: who, which office, when, what changed (field →
[before, after]) and why; a change of the risk grade must say why, so the current grade
always names who set it and for what reason. The categories and risk codes are in `codes`.
"""
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from ...engine.clock import local_date
from ...models import Child, Guardian, Office, RegistryChange, Unit, User
from .. import units
from ..errors import Conflict, Forbidden, Invalid
from . import probing, scope
from .codes import CATEGORIES, CHANGE_KINDS, FIELD_NAMES, RELATIONS, RISKS  # noqa: F401 (re-exported)
from .fields import check

# Entry fields as the API names them → the Child column.
COLUMNS = {"id_number": "id_number", "name": "name", "gender": "gender", "birth_date": "birth_date",
           "region": "region_code", "household_region": "household_region_code", "categories": "categories",
           "risk": "risk_grade", "school_unit_id": "school_unit_id", "description": "description"}


def known_values(child: Child) -> dict:
    return {field: getattr(child, column) for field, column in COLUMNS.items()}


def guardians_of(session: Session, child: Child) -> list[Guardian]:
    return list(session.scalars(select(Guardian).where(Guardian.child_id == child.id)
                                .order_by(Guardian.position, Guardian.id)))


def _guardian_list(guardians) -> list[dict]:
    return [{"name": g.name, "relation": g.relation, "phone": g.phone} for g in guardians]


def register(session: Session, user: User, raw, now, kind: str = "register", *,
             allowance: int = probing.ALLOWANCE, remote_addr: str | None = None) -> Child:
    """A new registry entry; 409 when the ID number is registered, 422 naming every bad field,
    403 for a number the user does not see once past the day's allowance of such 409s (`probing`)."""
    if not isinstance(raw, dict):
        raise Invalid({"_": "应为儿童信息对象"})
    values, errors = check(session, raw, local_date(now))
    if not errors and not scope.may_write(user, values["region"]):
        raise Forbidden("只有儿童住所地的村（居）、乡镇（街道）和民政部门可以登记儿童")
    if not errors and values.get("risk") and not values.get("risk_reason"):
        values["risk_reason"] = "登记时评定"
    if errors:
        raise Invalid(errors)
    existing = session.scalars(select(Child).where(Child.id_number == values["id_number"])).first()
    if existing is not None and not probing.hidden(session, user, existing):
        raise Conflict("该公民身份号码已登记，请查找该儿童并修改其档案", field="id_number")
    _refuse_probe(session, user, existing, now, allowance, remote_addr)
    child = Child(created_at=now, categories=[])
    session.add(child)
    apply(session, child, values, user, now, kind)
    session.flush()
    return child


def update(session: Session, user: User, child: Child, raw, now, kind: str = "update", *,
           allowance: int = probing.ALLOWANCE, remote_addr: str | None = None) -> RegistryChange | None:
    """Change an entry (only the fields given); nothing changed records nothing."""
    if not isinstance(raw, dict):
        raise Invalid({"_": "应为儿童信息对象"})
    if not scope.may_write(user, child.region_code):
        raise Forbidden("只有儿童住所地的村（居）、乡镇（街道）和民政部门可以修改儿童名册")
    _refuse_hidden_identity(session, user, child, raw)
    values, errors = check(session, raw, local_date(now), known_values(child))
    if "region" in values and values["region"] != child.region_code and "region" not in errors:
        # A move also moves the roster and the open tasks: it is recorded by the move service, not here.
        errors["region"] = "住所地变更须通过“儿童迁居”办理"
    if "id_number" in values and child.id_number and values["id_number"] != child.id_number:
        errors.setdefault("id_number", "公民身份号码登记后不能修改；如登记有误，请联系县级民政部门")
    if values.get("risk") and values["risk"] != child.risk_grade and not values.get("risk_reason"):
        errors.setdefault("risk_reason", "调整风险等级须说明评定理由")
    if errors:
        raise Invalid(errors)
    if "id_number" in values and values["id_number"] != child.id_number:
        other = session.scalars(select(Child).where(Child.id_number == values["id_number"], Child.id != child.id)).first()
        if other is not None and not probing.hidden(session, user, other):
            raise Conflict("该公民身份号码已登记在另一名儿童的档案中", field="id_number")
        _refuse_probe(session, user, other, now, allowance, remote_addr)
    school_before = child.school_unit_id
    if values.get("school_unit_id", school_before) != school_before:
        units.lock_running_cases(session, child)  # before the child's row is written (units.py)
    change = apply(session, child, values, user, now, kind)
    if child.school_unit_id != school_before:  # open school tasks follow, as on the child's file
        units.school_changed(session, child, session.get(Unit, school_before) if school_before else None,
                             session.get(Unit, child.school_unit_id) if child.school_unit_id else None, user, now)
    return change


def _refuse_probe(session: Session, user: User, registered: Child | None, now, allowance: int,
                  remote_addr: str | None) -> None:
    """A number `user` does not see: past the allowance refused alike whether registered or not;
    within it a registered one is refused (409) and counted."""
    if probing.held(session, user, now):
        raise Forbidden(probing.REFUSED)
    if registered is not None:
        if not probing.spend(session, user, 1, now, allowance, remote_addr):
            raise Forbidden(probing.REFUSED)
        raise Conflict(probing.ELSEWHERE, field="id_number")


HIDDEN_IDENTITY = {"id_number": "公民身份号码", "birth_date": "出生日期"}


def _refuse_hidden_identity(session: Session, user: User, child: Child, raw: dict) -> None:
    """A keeper who sees the number masked may not send its hidden parts for a registered identity:
    whether a guessed birth date or number is refused or accepted would tell them the child's."""
    sent = [f for f in HIDDEN_IDENTITY if f in raw and getattr(child, COLUMNS[f]) is not None]
    if not sent or scope.sees_identity(user, child, bool(scope.held_cases(session, user, [child.id]))):
        return
    raise Invalid({f: f"{HIDDEN_IDENTITY[f]}已登记，只能由儿童所在村（居）、县级民政部门或办理其案件的单位核对更正"
                   for f in sent})


def apply(session: Session, child: Child, values: dict, user: User | None, now, kind: str) -> RegistryChange | None:
    """Write `values` on the entry and record what changed (by `user`, for `values['reason']`). A new
    entry is not flushed here: an import's thousands of children go to the database in a few batches."""
    fresh = child.id is None
    changes = {}
    for field, column in COLUMNS.items():
        if field not in values or (field in ("gender", "birth_date") and values[field] is None):
            continue
        before, after = getattr(child, column), values[field]
        if before != after:
            setattr(child, column, after)
            changes[field] = [_plain(before), _plain(after)]
    if "guardians" in values and values["guardians"] is not None:
        before = [] if fresh else _guardian_list(guardians_of(session, child))
        if before != values["guardians"]:
            if not fresh:
                session.flush()
                session.execute(delete(Guardian).where(Guardian.child_id == child.id))
            session.add_all(Guardian(child=child, position=n, **g) for n, g in enumerate(values["guardians"]))
            changes["guardians"] = [before, values["guardians"]]
    if not changes:
        return None
    if not fresh:
        session.flush()
    risk_set = "risk" in changes and child.risk_grade is not None
    reason = values.get("risk_reason") if risk_set else None
    reason = "；".join(r for r in (reason, values.get("reason")) if r) or None
    record = RegistryChange(child=child, at=now, kind=kind, changes=changes, reason=reason,
                            risk_grade=child.risk_grade if risk_set else None,
                            user_id=user.id if user else None, office_id=user.office_id if user else None)
    session.add(record)
    if not fresh:
        session.flush()
    return record


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


# Who made a change, as the file shows it (the user's name, the office's name): not the user's office and
# unit nor the office's department and region, which their joined defaults would add to every row.
_USER, _OFFICE = joinedload(RegistryChange.user), joinedload(RegistryChange.office)
_WHO = (_USER.load_only(User.id, User.username, User.display_name), _USER.lazyload(User.office),
        _USER.lazyload(User.unit), _OFFICE.load_only(Office.id, Office.name), _OFFICE.lazyload(Office.department),
        _OFFICE.lazyload(Office.region))


def history(session: Session, child: Child, limit: int = 200) -> list[RegistryChange]:
    """The entry's changes, newest first."""
    return list(session.scalars(select(RegistryChange).where(RegistryChange.child_id == child.id).options(*_WHO)
                                .order_by(RegistryChange.at.desc(), RegistryChange.id.desc()).limit(limit)))


def risk_setting(session: Session, child: Child, changes: list[RegistryChange] | None = None,
                 limit: int = 200) -> RegistryChange | None:
    """The change that set the current risk grade: who set it, when and why. `changes`: the newest
    `limit` of the child's (`history`), when the caller has them: the answer is among them unless
    there are that many."""
    if child.risk_grade is None:
        return None
    if changes is not None:
        found = next((c for c in changes if c.risk_grade is not None), None)
        if found is not None or len(changes) < limit:
            return found
    return session.scalars(select(RegistryChange).where(RegistryChange.child_id == child.id,
                                                        RegistryChange.risk_grade.is_not(None)).options(*_WHO)
                           .order_by(RegistryChange.at.desc(), RegistryChange.id.desc()).limit(1)).first()


HIDDEN_BIRTH = "（不予显示）"


def shown_changes(changes: dict, full_identity: bool) -> dict:
    """A change's fields as a viewer may see them: the ID number always masked, the birth date only
    to those who see the child's identity (`scope.sees_identity`)."""
    shown = {}
    for field, pair in changes.items():
        if field == "id_number":
            pair = [scope.masked(v) for v in pair]
        elif field == "birth_date" and not full_identity:
            pair = [HIDDEN_BIRTH if v else v for v in pair]
        shown[field] = pair
    return shown


def describe(change: RegistryChange, unit_names: dict[int, str] | None = None, full_identity: bool = False) -> list[str]:
    """The change as sentences: "风险等级：黄色 → 红色"."""
    lines = []
    for field, (before, after) in shown_changes(change.changes, full_identity).items():
        lines.append(f"{FIELD_NAMES.get(field, field)}：{_shown(field, before, unit_names)} → {_shown(field, after, unit_names)}")
    return lines


def _shown(field: str, value, unit_names) -> str:
    if value in (None, "", []):
        return "（无）"
    if field == "categories":
        return "、".join(CATEGORIES.get(v, v) for v in value)
    if field == "risk":
        return RISKS.get(value, value)
    if field == "gender":
        return {"male": "男", "female": "女"}.get(value, value)
    if field == "guardians":
        return "；".join(f"{g['name']}（{RELATIONS.get(g['relation'], g['relation'])}，{g['phone']}）" for g in value)
    if field == "school_unit_id":
        return (unit_names or {}).get(value, f"单位 {value}")
    return str(value)


def school_names(session: Session, changes) -> dict[int, str]:
    ids = {v for c in changes for f, pair in c.changes.items() if f == "school_unit_id" for v in pair if v}
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all()) if ids else {}


def kind_name(kind: str) -> str:
    return CHANGE_KINDS.get(kind, kind)
