"""Resettlement of orphans at 18 (POLICY.md §3): who is in the institution's care, and when to start.

Shanghai (四) applies the procedure to orphans raised in the city child welfare institution
and to minors for whom a court designated civil affairs or the institution as guardian. The
`orphan_resettlement` case starts six months before the 18th birthday, from the child's date
of birth, so that nothing lapses (POLICY.md "Law and deadlines": the assessment falls within
the six months before the birthday).

Who is "in the institution's care" — the rule this module applies:
the child's file (一人一档) records the child entering or leaving the city welfare institution's
care, and the latest record decides. A record is

- a completed admission task named in `ADMISSION_TASKS`: the welfare institution taking in a
  child whom the court put under civil affairs' long-term guardianship (``admit_long_term`` of
  ``guardianship_revocation``, "儿童福利机构接收长期监护儿童");
- any completed user task whose form has the boolean field ``in_institution_care``: the case
  service files every step's data on the child's file, so any procedure can mark a child
  (``true``) or unmark one (``false``, e.g. adoption) by adding that field to a form;
- `record_institution_care`, which files a ``placement`` entry directly: for children already
  in the institution when Tonghu is introduced (and for the scenarios).

The job `start_due_resettlements` starts the case for every marked child whose start date
(18th birthday minus six months, in China Standard Time) has come and who is not yet 18,
never twice for one child: any earlier `orphan_resettlement` case of the child, started by
hand or by the job, counts. Young adults over 18 are started by hand. The case is opened at
the child's region (the region of the child's file), which must name at least a street.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine import Engine
from ..engine.clock import local_date
from ..models import LEVELS, Case, CaseFileEntry, Child, HumanTask, ProcessDefinition, Region, User, level_of
from . import audit, cases, definitions, forms
from .errors import Invalid

PROCESS_ID = "orphan_resettlement"
MARKER = "in_institution_care"
# (process id, user-task id) of steps that admit a child to the city welfare institution's care.
ADMISSION_TASKS = {("guardianship_revocation", "admit_long_term")}
START_MONTHS_BEFORE = 6
ADULT_AGE = 18


# -- dates ----------------------------------------------------------------------------------
def adulthood_date(birth: date) -> date:
    """The 18th birthday (a child born on 29 February comes of age on 1 March)."""
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:
        return date(birth.year + ADULT_AGE, 3, 1)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def start_date(birth: date) -> date:
    """The day the procedure starts: six months before the 18th birthday."""
    return _months_before(adulthood_date(birth), START_MONTHS_BEFORE)


def local_today(now: datetime) -> date:
    return local_date(now)


def is_due(birth: date, today: date) -> bool:
    return start_date(birth) <= today < adulthood_date(birth)


# -- who is in the institution's care -------------------------------------------------------
def record_institution_care(session: Session, child: Child, in_care: bool, now, user: User | None = None,
                            note: str | None = None) -> CaseFileEntry:
    """File on the child's file that the child entered (or left) the city welfare institution's care."""
    if LEVELS.index(level_of(child.region_code)) < LEVELS.index("township"):
        raise Invalid({"region": "集中养育儿童的住所地须精确到街道（乡镇）"})
    title = "登记由市儿童福利机构集中养育" if in_care else "登记离开市儿童福利机构"
    entry = CaseFileEntry(child=child, case=None, kind="placement", title=title,
                          data={MARKER: bool(in_care), "note": note},
                          author_id=user.id if user else None, office_id=user.office_id if user else None,
                          created_at=now)
    session.add(entry)
    audit.record(session, now, user, "child.institution_care", f"child:{child.id}", {MARKER: bool(in_care)})
    session.flush()
    return entry


def register_in_care(session: Session, child_info: dict, region_code: str, in_care: bool, now,
                     user: User | None = None, note: str | None = None) -> Child:
    """Find (or create) the child of `child_info` at `region_code` and record entering or leaving care."""
    definition = definitions.get_latest_or_404(session, PROCESS_ID)
    child_schema = definitions.form_of(definition, definition.start_form)["properties"]["child"]
    forms.validate(child_schema, child_info)
    region = session.get(Region, region_code) if isinstance(region_code, str) else None
    if region is None:
        raise Invalid({"region": "未知的行政区划代码"})
    child = session.scalars(select(Child).where(Child.id_number == child_info["id_number"].upper())).first()
    if child is None:
        child = Child(id_number=child_info["id_number"].upper(), name=child_info["name"], gender=child_info["gender"],
                      birth_date=date.fromisoformat(child_info["birth_date"]), region_code=region.code, created_at=now)
        session.add(child)
        session.flush()
    else:
        child.region_code = region.code
    record_institution_care(session, child, in_care, now, user, note)
    return child


def children_in_care(session: Session, child_ids) -> set[int]:
    """Those of `child_ids` whose latest record of entering or leaving care says they are in care."""
    return set(care_bases(session, child_ids))


def care_bases(session: Session, child_ids) -> dict[int, str]:
    """Child id -> why the child is in care (the start form's `basis`), for children in care now."""
    child_ids = list(child_ids)
    if not child_ids:
        return {}
    records: list[tuple[datetime, int, str | None]] = []  # (when, child, basis or None for leaving)
    for child_id, data, at in session.execute(
            select(CaseFileEntry.child_id, CaseFileEntry.data, CaseFileEntry.created_at)
            .where(CaseFileEntry.child_id.in_(child_ids), CaseFileEntry.data.is_not(None))
            .order_by(CaseFileEntry.id)):
        if isinstance(data, dict) and isinstance(data.get(MARKER), bool):
            records.append((at, child_id, "institution_orphan" if data[MARKER] else None))
    for child_id, process_id, name, at in session.execute(
            select(Case.child_id, HumanTask.process_id, HumanTask.name, HumanTask.completed_at)
            .join(Case, HumanTask.case_id == Case.id)
            .where(Case.child_id.in_(child_ids), HumanTask.state == "completed",
                   HumanTask.name.in_({name for _process, name in ADMISSION_TASKS}))):
        if (process_id, name) in ADMISSION_TASKS:
            records.append((at, child_id, "court_designated_civil_affairs"))
    latest: dict[int, str | None] = {}
    for _at, child_id, basis in sorted(records, key=lambda r: r[0]):  # stable: file order within a moment
        latest[child_id] = basis
    return {child_id: basis for child_id, basis in latest.items() if basis}


def has_resettlement_case(session: Session, child_ids) -> set[int]:
    """Children who already have an `orphan_resettlement` case of any version, in any state."""
    child_ids = list(child_ids)
    if not child_ids:
        return set()
    return set(session.scalars(
        select(Case.child_id).join(ProcessDefinition, Case.definition_id == ProcessDefinition.id)
        .where(ProcessDefinition.process_id == PROCESS_ID, Case.child_id.in_(child_ids))
    ))


def due_children(session: Session, now) -> list[tuple[Child, str]]:
    """Children in the institution's care whose start date has come, who are under 18 and have no case yet."""
    today = local_today(now)
    # A coarse window of two birth years in SQL, then the exact rule.
    candidates = [c for c in session.scalars(
        select(Child).where(Child.birth_date >= date(today.year - ADULT_AGE, 1, 1),
                            Child.birth_date <= date(today.year - ADULT_AGE + 1, 12, 31)).order_by(Child.id))
        if is_due(c.birth_date, today)]
    ids = [c.id for c in candidates]
    started = has_resettlement_case(session, ids)
    bases = care_bases(session, ids)
    return [(c, bases[c.id]) for c in candidates if c.id in bases and c.id not in started]


# -- the scheduler job ------------------------------------------------------------------------
def start_data(child: Child, basis: str = "institution_orphan", institution: int | None = None) -> dict:
    adult = adulthood_date(child.birth_date)
    data = {
        "child": {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                  "gender": child.gender},
        "basis": basis,
        "reason": f"距年满十八周岁（{adult.isoformat()}）不足六个月，系统依出生日期自动启动回归社会安置程序。",
    }
    if institution is not None:
        data["raising_institution_unit"] = institution  # its lane's tasks go to that institution (unitFrom)
    return data


def raising_institution(session: Session, child: Child) -> int | None:
    """The welfare institution (a unit) that admitted the child to long-term care, latest first; None
    when an office admitted it or nothing says (the city's welfare institution office then acts)."""
    return session.scalar(
        select(HumanTask.unit_id).join(Case, HumanTask.case_id == Case.id)
        .where(Case.child_id == child.id, HumanTask.state == "completed", HumanTask.unit_id.is_not(None),
               HumanTask.department == "welfare_institution",
               HumanTask.name.in_({name for _process, name in ADMISSION_TASKS}))
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc()).limit(1))


def start_due_resettlements(session: Session, engine: Engine, now) -> int:
    """Start `orphan_resettlement` for every child due at `now`; idempotent. Returns how many started."""
    definition = definitions.latest(session, PROCESS_ID)
    if definition is None:
        return 0
    started = 0
    for child, basis in due_children(session, now):
        region = session.get(Region, child.region_code)
        if region is None or LEVELS.index(region.level) < LEVELS.index("township"):
            continue  # cannot route a street's tasks; civil affairs starts it by hand with the right place
        data = start_data(child, basis, raising_institution(session, child))
        forms.validate(definitions.form_of(definition, definition.start_form), data)

        def start(child=child, region=region, data=data):
            case = cases.open_case(session, engine, definition, region.code, data, None, now)
            audit.record(session, now, None, "case.start", f"case:{case.id}",
                         {"process": PROCESS_ID, "region": region.code, "by": "scheduler"})
            session.flush()
        if cases.contained(session, now, f"为儿童 {child.id} 开启安置程序", start):  # a design error: recorded once
            started += 1
    return started
