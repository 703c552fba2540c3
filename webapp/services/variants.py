"""Regional variants: a deployed version bound to a region-code prefix (a province "31", a city
"5001"). A case starts on the newest version of the longest prefix of the child's place, falling
back to the newest national version (prefix ""); running cases stay on theirs.

A variant differs from the national procedure in its files (a DMN table, a diagram), deployed
from the designer or `tonghu deploy PATH --region 31`. Shipped variants are data: the files of
`processes/variants/<prefix>/` replace the national files of the same name, and only the
procedures that use a replaced file (its diagram, or a decision it calls) get a variant; e.g.
Shanghai's `continues_past_18.dmn` (shanghai (一)) and Chongqing's `medical_aid.dmn` (chongqing
(五)). `tonghu demo-data` deploys them after the national ones. Monthly amounts stay in
`living_settings` (keyed by the same prefixes).
"""
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..engine import Bundle, BundleError
from ..models import ProcessDefinition, Region, User
from . import definitions
from .errors import Invalid, NotFound

VARIANTS_DIR = "variants"  # processes/variants/<prefix>/*.bpmn|*.dmn

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


def shipped(processes_dir: Path) -> dict[str, dict[str, str]]:
    """The variants shipped with the procedures: prefix -> {file name: XML} of `variants/<prefix>/`."""
    root = Path(processes_dir) / VARIANTS_DIR
    found = {}
    for folder in sorted(root.iterdir() if root.is_dir() else []):
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
                 if p.suffix in (".bpmn", ".dmn")}
        if folder.is_dir() and files:
            found[folder.name] = files
    return found


def national_files(session: Session, on_disk: dict[str, str] | None = None) -> dict[str, str]:
    """What a variant is laid over: the newest national versions' files (files on disk under them)."""
    files = dict(on_disk or {})
    for definition in definitions.latest_all(session):
        files.update(definition.files)
    return files


def _decisions(xml: str) -> set[str]:
    try:
        tree = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return set()
    return set(tree.xpath("//*[local-name()='decision']/@id"))


def _called_decisions(xml: str) -> set[str]:
    try:
        tree = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return set()
    return {(e.text or "").strip() for e in tree.xpath("//*[local-name()='calledDecisionId']")}


def overlay(base: dict[str, str], changes: dict[str, str]) -> dict[str, str]:
    """The files of the procedures that use one of `changes` (its diagram, or a decision it calls),
    with `changes` laid over `base` (none when nothing differs from `base`); refused in Chinese when
    no procedure uses them."""
    changes = {name: xml for name, xml in changes.items() if base.get(name) != xml}  # a copy is no change
    if not changes:
        return {}
    merged = {**base, **changes}
    try:
        bundle = Bundle(merged)
    except BundleError as err:
        raise Invalid({"files": f"地区版本的文件无法解析：{err}"}) from None
    changed_decisions = set().union(*(_decisions(xml) for name, xml in changes.items() if name.endswith(".dmn")))
    files = {}
    for info in bundle.top_level_processes():
        own = bundle.files_for(info.id)
        diagrams = [name for name in own if not name.endswith(".dmn")]
        called = set().union(*(_called_decisions(own[name]) for name in diagrams))
        if any(name in changes for name in diagrams) or called & changed_decisions:
            files.update(own)
    if not files:
        raise Invalid({"files": "地区版本的文件没有被任何流程使用（文件名须与全国版本的流程图或决策表相同）"})
    return files


def deploy_variant(session: Session, prefix: str, changes: dict[str, str], base: dict[str, str], forms: dict,
                   now, user: User | None = None, note: str | None = None) -> list[ProcessDefinition]:
    """Deploy `changes` laid over `base` as the variant of `prefix` (only the procedures they touch)."""
    prefix = check_prefix(session, prefix)
    if not prefix:
        raise Invalid({"region_prefix": "地区版本须绑定到省或市行政区划代码前缀"})
    files = overlay(base, changes)
    return definitions.deploy(session, files, forms, now, user, note, region_prefix=prefix) if files else []


def deploy_shipped(session: Session, processes_dir: Path, forms: dict, now,
                   note: str | None = None) -> list[ProcessDefinition]:
    """Deploy every variant of `processes/variants/` over the national versions (unchanged ones skipped)."""
    deployed = []
    for prefix, changes in shipped(processes_dir).items():
        deployed += deploy_variant(session, prefix, changes, national_files(session), forms, now, note=note)
    return deployed
