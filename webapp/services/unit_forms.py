"""The `x-unit` form keyword: a field that chooses a unit (a school, a hospital, an institution)
from the organisation, offered as a select of the active units serving the case's place.

`"x-unit": {"department": "..." | [...], "nameTo": "field"}`: the server refuses any other id
(the choice becomes an `enum`), and with `nameTo` it writes the chosen unit's name into that
field of the task data, so a document names the party the case routes to, never free text.
"""
import copy

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Unit
from .errors import Invalid


def serving(session: Session, departments, region_code: str | None = None) -> list[Unit]:
    """The active units of `departments` whose area covers `region_code` (all of them without one)."""
    query = select(Unit).where(Unit.active.is_(True))
    if departments:
        query = query.where(Unit.department_code.in_(list(departments)))
    units = session.scalars(query.order_by(Unit.department_code, Unit.name)).all()
    return [u for u in units if region_code is None or u.serves_region(region_code)]


def unit_fields(schema: dict, prefix: str = "") -> dict[str, dict]:
    """Dotted path -> the `x-unit` spec of every unit-choosing field of a form."""
    found = {}
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        if prop.get("type") == "object":
            found.update(unit_fields(prop, f"{prefix}{name}."))
        elif isinstance(prop.get("x-unit"), dict):
            found[f"{prefix}{name}"] = prop["x-unit"]
    return found


def spec_departments(spec: dict) -> tuple[str, ...]:
    wanted = spec.get("department")
    return tuple(wanted) if isinstance(wanted, list) else ((wanted,) if wanted else ())


def for_case(session: Session, schema: dict | None, region_code: str | None, acting: Unit | None = None) -> dict | None:
    """`schema` with each `x-unit` field made a choice of the units serving `region_code`: an
    `enum` of their ids (so the server refuses any other id) with their names as titles.

    `acting`: the unit a task is routed to. A field choosing a unit of its kind names that unit
    only: the hospital the case chose admits as itself, it does not name another."""
    if not schema or not unit_fields(schema):
        return schema
    resolved = copy.deepcopy(schema)

    def walk(node):
        for prop in (node.get("properties") or {}).values():
            if not isinstance(prop, dict):
                continue
            if prop.get("type") == "object":
                walk(prop)
            elif isinstance(prop.get("x-unit"), dict):
                departments = spec_departments(prop["x-unit"])
                choices = ([acting] if acting is not None and acting.department_code in departments
                           else serving(session, departments, region_code))
                prop["type"] = "integer"
                prop["enum"] = [u.id for u in choices] or [None]
                prop["x-enum-titles"] = [u.name for u in choices] or ["（本地没有可选的单位，请联系管理员）"]
    walk(resolved)
    return resolved


def copy_names(session: Session, schema: dict | None, data: dict) -> dict:
    """`data` (already validated) with the chosen unit's name written into each `nameTo` field."""
    if not schema or not isinstance(data, dict):
        return data
    filled = dict(data)
    for path, spec in unit_fields(schema).items():
        target = spec.get("nameTo")
        if "." in path or not isinstance(target, str) or not target:
            continue
        value = filled.get(path)
        unit = session.get(Unit, value) if isinstance(value, int) and not isinstance(value, bool) else None
        if unit is not None:
            filled[target] = unit.name
    return filled


def own_unit_start(session: Session, schema: dict, data: dict, unit_id: int | None) -> dict:
    """A unit's official opens a case only for their own unit's child (a school: its pupil).

    When the start form chooses a unit of the official's department (a school's `school_unit`),
    that choice must be their unit: filled in when left out, refused when it names another.
    Forms without such a field (a mandatory report) are left as they are."""
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or not isinstance(data, dict):
        return data
    for path, spec in unit_fields(schema).items():
        if "." in path or unit.department_code not in spec_departments(spec):
            continue
        if data.get(path) is None:
            data = {**data, path: unit.id}
        elif data[path] != unit.id:
            raise Invalid({path: f"{unit.name}只能为本单位（本校）的儿童发起，请选择{unit.name}"})
    return data
