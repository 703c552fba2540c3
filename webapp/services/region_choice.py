"""A place chosen in a form (`x-region`) and a lane routed to it (`regionFrom`).

Most tasks go to the office of the case's place (the child's region). A few belong to another
place the case decides: the street of a young adult's new residence after resettlement
(shanghai (四) "新住所地街道"), which is not the household registration the case was opened
at. A form field says `"x-region": {"level": "township", "within": "city"}`: it is offered as
a select of the regions at `level` inside the case's region at `within` (default: the whole
province), and the server refuses any other code. A lane with the property `regionFrom`
naming that field routes its tasks to the office at the lane's level of the chosen place;
without a valid choice in the data the case's place is used, as for any lane.
"""
import copy

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import LEVELS, Region
from ..models.org import jurisdiction_prefix, region_at_level


def region_fields(schema: dict | None) -> dict[str, dict]:
    """Top-level field name -> its `x-region` spec."""
    props = (schema or {}).get("properties") or {}
    return {name: prop["x-region"] for name, prop in props.items()
            if isinstance(prop, dict) and isinstance(prop.get("x-region"), dict)}


def choices(session: Session, spec: dict, case_region: str) -> list[tuple[str, str]]:
    """(code, full name) of the regions a field offers for a case at `case_region`."""
    level = spec.get("level") if spec.get("level") in LEVELS else "township"
    within = spec.get("within") if spec.get("within") in LEVELS else "province"
    if LEVELS.index(within) >= LEVELS.index(level):
        within = LEVELS[max(LEVELS.index(level) - 1, 0)]
    prefix = jurisdiction_prefix(region_at_level(case_region, within), within)
    rows = session.scalars(select(Region).where(Region.level == level, Region.code.startswith(prefix, autoescape=True))
                           .order_by(Region.code)).all()
    names = _names_above(session, rows)
    return [(r.code, names.get(r.parent_code, "") + r.name) for r in rows]


def _names_above(session: Session, rows) -> dict[str, str]:
    """Parent code -> the names from the city down to that parent (e.g. "长沙市岳麓区")."""
    found: dict[str, str] = {}
    for parent_code in {r.parent_code for r in rows if r.parent_code}:
        names, code = [], parent_code
        while code:
            region = session.get(Region, code)
            if region is None or region.level == "province":
                break
            names.append(region.name)
            code = region.parent_code
        found[parent_code] = "".join(reversed(names))
    return found


def for_case(session: Session, schema: dict | None, case_region: str) -> dict | None:
    """`schema` with each `x-region` field made a choice (an `enum` of codes, titled by name)."""
    fields = region_fields(schema)
    if not fields:
        return schema
    resolved = copy.deepcopy(schema)
    for name, spec in fields.items():
        offered = choices(session, spec, case_region)
        prop = resolved["properties"][name]
        prop["type"] = "string"
        prop["enum"] = [code for code, _ in offered] or [None]
        prop["x-enum-titles"] = [title for _, title in offered] or ["（没有可选的地区，请联系管理员）"]
    return resolved


def chosen_place(session: Session, value, lane_level: str) -> str | None:
    """The region code a `regionFrom` field holds, if it names a known region at least as fine
    as the lane's level (so the lane's office of that place exists); else None."""
    if not isinstance(value, str) or len(value) != 12:
        return None
    region = session.get(Region, value)
    if region is None or lane_level not in LEVELS or LEVELS.index(region.level) < LEVELS.index(lane_level):
        return None
    return region.code
