"""No child-protection procedure is left running once the child turns 18 (民法典 art. 17, 27).

Guardianship ends at 18, and with it what a revocation or a restoration case is about; a
psychological referral for a minor (POLICY §4) hands the young adult over to the adult mental
health services of the place. On the 18th birthday (China's date on the engine clock) the job
below closes every running `guardianship_revocation`, `guardianship_restoration` and
`psych_referral` case of the child: its open tasks are cancelled, the child's file says why and
what follows, and the office that takes over is told.

Why a scheduler job and not a boundary timer in each diagram: a timer reaches only cases started
on a version that has it, while the job reaches every running case of these procedures,
whatever its version, and a case whose birthday passed while the scheduler was down is closed
at its next run. Idempotent: it picks running cases only, and a closed case no longer is.
Resettlement (`orphan_resettlement`) is for young adults and is not touched; agreements and
visit plans end at 18 by their own due date (webapp/services/monitoring.py).
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine import Engine
from ..engine.clock import local_date
from ..models import Case, Child, Notification, ProcessDefinition
from ..models.org import region_at_level
from . import cases, monitoring
from .resettlement import adulthood_date


@dataclass(frozen=True)
class Closure:
    """What turning 18 means for one procedure: the file entry, and who takes over (told by a notice)."""

    outcome: str      # the file entry's words, after "儿童年满十八周岁："
    department: str   # the office told, at `level` of the case's place
    level: str
    notice: str


CLOSURES = {
    "guardianship_revocation": Closure(
        "监护关系依法终止，撤销监护人资格程序结案", "civil_affairs", "county",
        "已年满十八周岁，撤销监护人资格程序结案；仍在民政部门监护下的，按回归社会安置程序衔接"),
    "guardianship_restoration": Closure(
        "监护关系依法终止，恢复监护人资格程序结案", "civil_affairs", "county",
        "已年满十八周岁，恢复监护人资格程序结案"),
    "psych_referral": Closure(
        "心理健康服务移交成年人精神卫生服务，本程序结案", "health", "county",
        "已年满十八周岁，困境儿童心理健康转介程序结案，请由成年人精神卫生服务接续跟进"),
}


def eighteen_years_before(today: date) -> date:
    """The latest birth date of a child who is 18 on `today` (29 February falls back to the 28th,
    matching `adulthood_date`: a child born on 29 February comes of age on 1 March)."""
    try:
        return today.replace(year=today.year - 18)
    except ValueError:
        return date(today.year - 18, 2, 28)


def due_cases(session: Session, now) -> list[Case]:
    """Running cases of the procedures in `CLOSURES` whose child is 18 on China's date at `now`."""
    today = local_date(now)
    rows = session.scalars(
        select(Case).join(ProcessDefinition, Case.definition_id == ProcessDefinition.id)
        .join(Child, Case.child_id == Child.id)
        .where(ProcessDefinition.process_id.in_(CLOSURES), Case.status == "running",
               Child.birth_date <= eighteen_years_before(today))
        .order_by(Case.id)).all()
    return [case for case in rows if adulthood_date(case.child.birth_date) <= today]


def close_at_adulthood(session: Session, engine: Engine, now) -> int:
    """The scheduler job: close each due case (see the module); returns how many it closed."""
    closed = 0
    for due in due_cases(session, now):
        case = cases.lock_case(session, due.id)
        if case.status != "running":
            continue  # finished or failed since the query
        process_id = case.definition.process_id
        closure = CLOSURES[process_id]
        adult_on = adulthood_date(case.child.birth_date).isoformat()
        cases.add_entry(session, case, "event", f"儿童年满十八周岁：{closure.outcome}", now, None,
                        body=f"儿童于 {adult_on} 年满十八周岁，{closure.outcome}。",
                        data={"adulthood_date": adult_on, "procedure": process_id,
                              "handed_over_to": f"{closure.department}@{closure.level}"})
        session.add(Notification(kind="notice", department=closure.department, case=case, created_at=now,
                                 office_region=region_at_level(case.region_code, closure.level),
                                 message=f"儿童{case.child.name}{closure.notice}（案件 {case.id}）。"))
        monitoring.close_plans(session, case, monitoring.END_AT_18, now)
        cases.cancel_case(session, case, f"儿童年满十八周岁（{adult_on}）", now)
        closed += 1
    session.flush()
    return closed
