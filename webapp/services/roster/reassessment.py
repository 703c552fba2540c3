"""Guardianship capacity reassessed at least every two years (湖南 §六.3): the scheduler opens it.

A child's latest completed capacity assessment (`assess_capacity`, in whichever procedure it
ran) that said `adequate` — or `insufficient` while the child's entrustment agreement runs —
is due again two years later (`guardianship_reassessment` in the settings), or earlier on the
`reassessment_date` the township set with the ordinary support. The job opens a new
`guardianship_assessment` case `lead` before that day (default a month), at the child's
residence, so it is routed as the first one was: the township's home investigation, then
county civil affairs' assessment. Never twice: a child with an assessment under way (a
running capacity-assessment case, or an open investigation or assessment step in any
procedure) is skipped, and the new case's own result starts the next two years.
It runs once a China day (a `roster_runs` marker).
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine import Engine
from ...engine.clock import local_date
from ...models import LEVELS, Case, Child, HumanTask, ProcessDefinition, RosterRun, level_of
from .. import audit, cases, definitions
from ..monitoring import shift

PROCESS_ID = "guardianship_assessment"
SETTING = "guardianship_reassessment"
ASSESS_TASK = "assess_capacity"
UNDER_WAY = ("assess_capacity", "township_home_investigation")


@dataclass(frozen=True)
class Assessment:
    child_id: int
    case_id: int
    region_code: str
    capacity: str | None
    completed_at: datetime


def latest_assessments(session: Session) -> dict[int, Assessment]:
    """Child id → their latest completed capacity assessment (columns only: no workflow is loaded)."""
    rows = session.execute(select(Case.child_id, Case.id, Case.region_code, HumanTask.data, HumanTask.completed_at)
                           .join(Case, Case.id == HumanTask.case_id)
                           .where(HumanTask.name == ASSESS_TASK, HumanTask.state == "completed")
                           .order_by(HumanTask.completed_at, HumanTask.id)).all()
    return {child: Assessment(child, case_id, region, (data or {}).get("guardianship_capacity"), at)
            for child, case_id, region, data, at in rows}


def due_on(session: Session, engine: Engine, assessment: Assessment) -> date:
    """Two years after the assessment, or the reassessment date set with the ordinary support if earlier."""
    due = shift(local_date(assessment.completed_at), engine.settings.kind(SETTING).cadence)
    planned = session.scalar(select(HumanTask.data).where(
        HumanTask.case_id == assessment.case_id, HumanTask.name == "ordinary_support", HumanTask.state == "completed"))
    planned = (planned or {}).get("reassessment_date") if isinstance(planned, dict) else None
    try:
        return min(due, date.fromisoformat(planned)) if planned else due
    except (TypeError, ValueError):
        return due


def _needs_reassessment(session: Session, assessment: Assessment) -> bool:
    if assessment.capacity == "adequate":
        return True
    return assessment.capacity == "insufficient" and session.scalar(
        select(Case.id).join(ProcessDefinition, ProcessDefinition.id == Case.definition_id).where(
            Case.child_id == assessment.child_id, Case.status == "running",
            ProcessDefinition.process_id == "entrustment_care").limit(1)) is not None


def _under_way(session: Session, child_id: int) -> bool:
    running = select(Case.id).join(ProcessDefinition, ProcessDefinition.id == Case.definition_id).where(
        Case.child_id == child_id, Case.status == "running", ProcessDefinition.process_id == PROCESS_ID).limit(1)
    steps = select(HumanTask.id).join(Case, Case.id == HumanTask.case_id).where(
        Case.child_id == child_id, HumanTask.state == "open", HumanTask.name.in_(UNDER_WAY)).limit(1)
    return session.scalar(running) is not None or session.scalar(steps) is not None


def open_reassessments(session: Session, engine: Engine, now) -> int:
    """Open every capacity reassessment due to open by today; once a day."""
    today = local_date(now)
    key = f"reassessment:{today.isoformat()}"
    definition = definitions.latest(session, PROCESS_ID)
    if definition is None or session.get(RosterRun, key) is not None:
        return 0
    lead = engine.settings.kind(SETTING).lead
    opened = 0
    for child_id, last in latest_assessments(session).items():
        if not _needs_reassessment(session, last):
            continue
        due = due_on(session, engine, last)
        if today < shift(due, lead, -1) or _under_way(session, child_id):
            continue
        child = session.get(Child, child_id)
        if not (child.id_number and child.birth_date and child.gender):
            continue  # identity incomplete: the county opens it by hand once the file is completed
        region = child.region_code if LEVELS.index(level_of(child.region_code)) >= LEVELS.index("township") \
            else last.region_code
        assessed = local_date(last.completed_at).isoformat()
        data = {"child": {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                          "gender": child.gender},
                "reason": f"上次家庭监护能力评估（{assessed}，案件 {last.case_id}）结论为"
                          f"{'监护能力充足' if last.capacity == 'adequate' else '监护能力不足、委托照护中'}，"
                          f"依湖南 §六.3 至迟每两年复评，应于 {due.isoformat()} 前完成。",
                "reassessment_of": last.case_id, "reassessment_due": due.isoformat(),
                "opening_title": f"立案：家庭监护能力两年复评（上次评估 {assessed}）"}
        new = cases.open_case(session, engine, definition, region, data, None, now)
        audit.record(session, now, None, "case.start", f"case:{new.id}",
                     {"process": PROCESS_ID, "region": region, "by": "scheduler", "reassessment_of": last.case_id})
        opened += 1
    session.add(RosterRun(key=key, ran_at=now, count=opened))
    session.flush()
    return opened
