"""The school's yearly mental-health check (shanghai （十二）: 学校每学年开展心理健康监测).

Every school year, from its first day (1 September), each registered child under 18 whose
school is recorded (`Child.school_unit_id`, an active unit) gets one `psych_referral` case
whose first step, "学校年度心理健康监测", is in that school's own task list (lane `school`,
unitFrom `school_unit`). The school's list is thus its registered pupils. The case's opening
entry on the child's file names the school year; that entry is what makes the job idempotent,
so running it twice, or every day of the year, opens one check per child and year. A child
whose psychological referral is already running is left to it.
"""
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..engine import Engine
from ..engine.clock import local_date
from ..models import Case, CaseFileEntry, Child, ProcessDefinition, Unit
from . import cases
from .moments import years_before

PROCESS_ID = "psych_referral"
YEAR_STARTS = (9, 1)  # the school year begins on 1 September
BATCH = 500  # checks opened per run at most: a big county's first year is spread over a few runs


def school_year(day: date) -> int:
    """The calendar year the school year containing `day` began in."""
    return day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1


def opening_title(year: int) -> str:
    return f"学校年度心理健康监测（{year}—{year + 1} 学年）"


def open_school_checks(session: Session, engine: Engine, now) -> int:
    """Start this school year's check for every registered pupil who has none yet."""
    today = local_date(now)
    title = opening_title(school_year(today))
    opened = select(CaseFileEntry.id).where(CaseFileEntry.child_id == Child.id, CaseFileEntry.title == title)
    running = (select(Case.id).join(ProcessDefinition, Case.definition_id == ProcessDefinition.id)
               .where(Case.child_id == Child.id, Case.status == "running", ProcessDefinition.process_id == PROCESS_ID))
    pupils = session.scalars(
        select(Child).join(Unit, Unit.id == Child.school_unit_id)
        .where(Unit.active.is_(True), Child.id_number.is_not(None), Child.birth_date.is_not(None),
               Child.gender.is_not(None), Child.birth_date > years_before(today, 18), ~exists(opened), ~exists(running))
        .order_by(Child.id).limit(BATCH)).all()
    for child in pupils:
        data = {"child": {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                          "gender": child.gender},
                "monitoring_source": "school_yearly_check", "school_unit": child.school_unit_id,
                "reason": f"学校每学年开展心理健康监测（{title}）", "opening_title": title}
        cases.start_scheduled(session, engine, PROCESS_ID, child.region_code, data, now, child=child)
    return len(pupils)
