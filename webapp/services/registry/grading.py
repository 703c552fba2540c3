"""The one place a child's risk grade changes after registration: a roster visit's assessment
or a capacity assessment's outcome, each a row of the registry's history (who, office, why).

The registry's own edits (`children.update`, the import) set the grade as one field among
others; everything else goes through `set_grade`, so the file always names who set the
current grade and why (`children.risk_setting`).
"""
from sqlalchemy.orm import Session

from handlers import RiskGrade
from ...models import Case, HumanTask, RegistryChange, User
from ..cases.casefile import add_entry
from ..errors import Invalid
from .children import apply
from .codes import RISKS


def set_grade(session: Session, child, grade: str, reason: str, user: User | None, now,
              kind: str) -> RegistryChange | None:
    """Set `child`'s risk grade for `reason` (by `user`, None for an automatic step); the same
    grade again records nothing."""
    if grade not in RISKS:
        raise Invalid({"risk": f"应为 {', '.join(RISKS)} 之一"})
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid({"risk_reason": "调整风险等级须说明评定理由"})
    return apply(session, child, {"risk": grade, "risk_reason": reason.strip()[:2000]}, user, now, kind)


def _acted_by(session: Session, case: Case, now) -> User | None:
    """Who completed the step whose run asked for the grade: the case's task this unit of work
    completed (None after a timer or a message)."""
    done = [obj for obj in session.identity_map.values()
            if isinstance(obj, HumanTask) and obj.case_id == case.id and obj.state == "completed"
            and obj.completed_at == now and obj.completed_by_id is not None]
    return max(done, key=lambda t: t.id or 0).completed_by if done else None


def apply_case_grades(session: Session, engine, case: Case, grades: list[RiskGrade], now) -> None:
    """A capacity assessment's grade (hunan §六.4) on the registry, with who assessed and why."""
    grade = grades[-1]
    previous = case.child.risk_grade
    set_grade(session, case.child, grade.grade, f"{grade.reason}（第 {case.id} 号案件）",
              _acted_by(session, case, now), now, "assessment")
    add_entry(session, case, "event", f"监护风险等级：{RISKS[grade.grade][:2]}", now, None,
              body=grade.reason, data={"risk_grade": grade.grade, "previous": previous})
