"""Regional variants: a deployed version bound to a region-code prefix (a province "31", a city
"5001"). A case starts on the newest version of the longest prefix of the child's place, falling
back to the newest national version (prefix ""); running cases stay on theirs.

A variant differs from the national procedure in its tables and settings (a DMN table, a form,
a deadline), deployed from the designer or `tonghu deploy PATH --region 31`; regional amounts
and ratios stay in `living_settings` (keyed by the same prefixes).
"""
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ProcessDefinition, Region
from . import definitions
from .errors import Invalid, NotFound

PREFIX = re.compile(r"\d{2}(\d{2})?")  # a province (2 digits) or a city (4 digits)


def check_prefix(session: Session, prefix: str) -> str:
    """A province or city prefix the organisation knows; refused with a Chinese message otherwise."""
    prefix = (prefix or "").strip()
    if prefix == "":
        return prefix
    if not PREFIX.fullmatch(prefix):
        raise Invalid({"region_prefix": "地区版本须绑定到省（2 位）或市（4 位）行政区划代码前缀"})
    if session.get(Region, prefix.ljust(12, "0")) is None:
        raise Invalid({"region_prefix": f"没有以 {prefix} 开头的省或市"})
    return prefix


def for_region(session: Session, process_id: str, region_code: str) -> ProcessDefinition:
    """The version a case of this place starts on: the longest matching variant, else the national one."""
    code = region_code if isinstance(region_code, str) else ""
    prefixes = [p for p in prefixes_of(session, process_id) if p and code.startswith(p)]
    for prefix in sorted(prefixes, key=len, reverse=True):
        definition = definitions.latest(session, process_id, prefix)
        if definition is not None:
            return definition
    return definitions.get_latest_or_404(session, process_id)


def prefixes_of(session: Session, process_id: str) -> list[str]:
    return list(session.scalars(select(ProcessDefinition.region_prefix).where(
        ProcessDefinition.process_id == process_id).distinct()))


@dataclass
class Variant:
    prefix: str
    place: str
    definition: ProcessDefinition


def variants(session: Session, process_id: str) -> list[Variant]:
    """Which version applies where: the national one first, then each region's newest variant."""
    rows = []
    for prefix in sorted(prefixes_of(session, process_id), key=lambda p: (len(p), p)):
        definition = definitions.latest(session, process_id, prefix)
        region = session.get(Region, prefix.ljust(12, "0")) if prefix else None
        place = "全国（未设地区版本的地方）" if not prefix else (region.name if region else prefix)
        rows.append(Variant(prefix, place, definition))
    if not rows:
        raise NotFound(f"没有已部署的流程：{process_id}")
    return rows


def places(session: Session) -> list[tuple[str, str]]:
    """The prefixes a variant may be bound to: every province and city the organisation knows."""
    rows = session.execute(select(Region.code, Region.name, Region.level).where(
        Region.level.in_(("province", "city"))).order_by(Region.code)).all()
    return [(code[:2] if level == "province" else code[:4], name) for code, name, level in rows]


def place_name(session: Session, prefix: str) -> str:
    """The place a variant serves, for the designer's answers ('' for the national version)."""
    region = session.get(Region, prefix.ljust(12, "0")) if prefix else None
    return region.name if region else prefix


def count(session: Session, process_id: str) -> int:
    return session.scalar(select(func.count(func.distinct(ProcessDefinition.region_prefix))).where(
        ProcessDefinition.process_id == process_id, ProcessDefinition.region_prefix != "")) or 0
