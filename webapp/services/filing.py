"""Filing a document as paper needs it: a number (文号) from its issuing office's yearly counter,
the parties (names, addresses, ID numbers) and their 签字（盖章） blocks around the body a
handler rendered. The framed HTML is what is filed: every view, print and PDF shows the same.
"""
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from handlers.rendering import render_document
from ..catalog import department_name
from ..engine.clock import local_date
from ..models import Case, DocumentCounter, HumanTask, Office, Region, Unit, region_at_level
from ..models.org import LEVELS

# The office that issues each document (department, level) and the word of its number.
ISSUERS = {
    "五方委托照护协议": ("civil_affairs", "county", "委托"),
    "强制报告登记表": ("civil_affairs", "county", "报告"),
    "调查评估报告": ("civil_affairs", "county", "调查"),
    "撤销监护人资格申请书": ("civil_affairs", "county", "撤申"),
    "儿童返回家庭告知书": ("civil_affairs", "county", "告知"),
    "心理健康转介单": ("education", "county", "转介"),
}
DEFAULT_ISSUER = ("civil_affairs", "county", "文")
DEPARTMENT_MARKS = {"civil_affairs": "民", "police": "公", "court": "法", "procuratorate": "检", "education": "教",
                    "health": "卫", "township": "乡", "village": "村"}


@dataclass
class Party:
    role: str
    name: str
    address: str = ""
    id_number: str = ""
    person: bool = False  # a natural person signs; an office or unit seals


# A counter's row is only ever written by statements, never held as an object: its UPDATE need not
# look for it in the session (and no object there can be left with an old number).
_NOT_IN_SESSION = {"synchronize_session": False}


def next_number(session: Session, issuer: str, year: int) -> int:
    """The issuer's next number in `year`: an atomic increment, so concurrent filings never share one."""
    bump = (update(DocumentCounter).where(DocumentCounter.issuer == issuer, DocumentCounter.year == year)
            .values(last_number=DocumentCounter.last_number + 1).returning(DocumentCounter.last_number))
    number = session.execute(bump, execution_options=_NOT_IN_SESSION).scalar()
    if number is None:
        try:
            with session.begin_nested():  # the year's first: another node may insert it at this moment
                session.execute(insert(DocumentCounter).values(issuer=issuer, year=year, last_number=1))
            return 1
        except IntegrityError:
            number = session.execute(bump, execution_options=_NOT_IN_SESSION).scalar_one()
    return number


def _full_region(session: Session, code: str) -> str:
    names, region = [], session.get(Region, code)
    while region is not None:
        names.append(region.name)
        region = session.get(Region, region.parent_code) if region.parent_code else None
    return "".join(reversed(names))


Offices = dict[tuple[str, str], Office]


def _prefetch(session: Session, code: str) -> tuple[Offices, list[Region]]:
    """The place's offices and regions (village up to province) in two queries, not one or two
    per party; the caller holds the regions while it frames (the session keeps only what is
    referenced), so `_full_region` finds them there."""
    codes = [region_at_level(code, level) for level in LEVELS]
    regions = list(session.scalars(select(Region).where(Region.code.in_(codes))))
    # Only their names are read: not joined to their departments and places (`Office`'s eager joins)
    offices = session.scalars(select(Office).where(Office.region_code.in_(codes)).options(lazyload("*")))
    return {(o.department_code, o.region_code): o for o in offices}, regions


def _office(session: Session, department: str, region_code: str, offices: Offices | None = None) -> Party:
    office = (offices or {}).get((department, region_code)) or session.scalars(
        select(Office).where(Office.department_code == department, Office.region_code == region_code)).first()
    name = office.name if office else _full_region(session, region_code) + department_name(department)
    return Party("", name, _full_region(session, region_code))


def issuer_of(session: Session, case: Case, title: str, offices: Offices | None = None) -> tuple[Party, str, str]:
    """(issuing office, its counter key, the number's prefix) of a document of this case."""
    department, level, word = ISSUERS.get(title, DEFAULT_ISSUER)
    seat = region_at_level(case.region_code, level)
    region = session.get(Region, seat)
    place = (region.name if region else seat)[:1]
    return _office(session, department, seat, offices), f"{department}@{seat}", f"{place}{DEPARTMENT_MARKS.get(department, '')}{word}"


def _step_data(session: Session, case: Case, name: str) -> dict:
    data = session.scalars(select(HumanTask.data).where(HumanTask.case_id == case.id, HumanTask.name == name,
                                                        HumanTask.state == "completed")
                           .order_by(HumanTask.completed_at.desc())).first()
    return data if isinstance(data, dict) else {}


def parties_of(session: Session, case: Case, title: str, offices: Offices | None = None) -> list[Party]:
    """Who the document binds: the child, and for the agreement its five signing parties."""
    child = case.child
    parties = [Party("儿童", child.name, _full_region(session, case.region_code), child.id_number or "", person=True)]
    if title != "五方委托照护协议":
        return parties
    guardian = _step_data(session, case, "township_home_investigation")
    chosen = _step_data(session, case, "choose_institution")
    unit = session.get(Unit, chosen["care_institution_unit"]) if isinstance(chosen.get("care_institution_unit"), int) else None
    institution = (Party("", unit.name, _full_region(session, unit.region_code)) if unit
                   else Party("", chosen.get("institution_name") or "", ""))
    village = _office(session, "village", region_at_level(case.region_code, "village"), offices)
    township = _office(session, "township", region_at_level(case.region_code, "township"), offices)
    county = _office(session, "civil_affairs", region_at_level(case.region_code, "county"), offices)
    for role, party in (("委托照护机构", institution), ("村（居）民委员会", village),
                        ("乡镇人民政府（街道办事处）", township), ("县级民政部门", county)):
        party.role = role
    consent = _step_data(session, case, "record_guardian_consent")  # the guardian's ID number and address
    return parties + [Party("监护人", str(guardian.get("guardian_name") or ""), str(consent.get("guardian_address") or ""),
                            str(consent.get("guardian_id_number") or ""), person=True),
                      village, township, institution, county]


def frame(session: Session, case: Case, title: str, body: str, now) -> tuple[str, str]:
    """(number, framed HTML) of a document about to be filed on `case`."""
    offices, _regions = _prefetch(session, case.region_code)
    issuer, key, prefix = issuer_of(session, case, title, offices)
    year = local_date(now).year
    number = f"{prefix}〔{year}〕{next_number(session, key, year)}号"
    heading, closed, rest = body.partition("</h1>")
    heading, rest = (heading + closed, rest) if closed else ("", body)
    html = render_document("_filed.html", title=title, number=number, issuer=issuer, heading=heading, rest=rest,
                           parties=parties_of(session, case, title, offices), signing=title == "五方委托照护协议",
                           case_id=case.id)
    return number, html
