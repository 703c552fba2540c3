"""Repair for administrators: the cases that failed, retrying them, cancelling a case with a reason.

Nothing is deleted. A cancelled case keeps its workflow, tasks (now `cancelled`) and file;
the cancellation is an entry on the child's file and in the audit log, naming who cancelled
what and why. Cancelling a case that opened monitoring plans (an entrustment agreement)
closes them, which cancels their visit still open; cancelling one generated visit leaves
its plan running (the next cycle is already scheduled), so a visit opened by mistake can
be withdrawn without stopping the child's monitoring.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..engine import Engine
from ..models import Case, MonitoringVisit, User
from . import audit, cases, monitoring
from .errors import Conflict, Invalid, NotFound

REASON_MAX = 500


def failing_cases(session: Session, limit: int = 200) -> list[Case]:
    """Cases in `error`, the most recent failure first."""
    return list(session.scalars(select(Case).where(Case.status == "error")
                                .order_by(Case.id.desc()).limit(limit)))


def count_failing(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(Case.status == "error")) or 0


def get_case(session: Session, case_id) -> Case:
    case = session.get(Case, case_id) if isinstance(case_id, int) and 0 < case_id < 2**63 else None
    if case is None:
        raise NotFound("案件不存在")
    return case


def visit_of(session: Session, case: Case) -> MonitoringVisit | None:
    """The monitoring visit this case is, if the scheduler generated it."""
    return session.scalars(select(MonitoringVisit).where(MonitoringVisit.case_id == case.id)).first()


def retry(session: Session, engine: Engine, case_id, admin: User, now, remote_addr=None) -> tuple[Case, str | None]:
    """Run a failed case again from its last saved state: its due timers fire, its tasks are
    routed afresh. Returns the case and, if it failed again, the new reason (it stays in `error`)."""
    case = cases.lock_case(session, get_case(session, case_id).id)
    if case.status != "error":
        raise Conflict("该案件不在出错状态，无需重试")
    previous = case.error_message
    failure = cases.run_again(session, engine, case, now)
    if failure is None:
        cases.note_on_file(session, case, "管理员重试后流程恢复运行", now, data={"previous_error": previous}, user=admin)
    audit.record(session, now, admin, "case.retry", f"case:{case.id}",
                 {"previous_error": previous, "result": failure or "running"}, remote_addr)
    session.flush()
    return case, failure


def cancel(session: Session, case_id, admin: User, reason, now, remote_addr=None) -> Case:
    """Cancel a running or failed case with a reason (see the module docstring)."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise Invalid({"reason": "请填写取消原因"})
    if len(reason) > REASON_MAX:
        raise Invalid({"reason": f"取消原因不能超过 {REASON_MAX} 个字"})
    case = cases.lock_case(session, get_case(session, case_id).id)
    if case.status not in ("running", "error"):
        raise Conflict("该案件已结束或已取消，不能再取消")
    cancelled_tasks = [t.title for t in cases.open_tasks(session, case)]
    cases.cancel_case(session, case, f"{reason}（管理员 {admin.display_name} 取消）", now, admin)
    closed = monitoring.close_plans(session, case, f"案件被取消：{reason}", now)
    visit = visit_of(session, case)
    audit.record(session, now, admin, "case.cancel", f"case:{case.id}", {
        "reason": reason, "process": case.definition.process_id, "child": case.child_id,
        "tasks": cancelled_tasks, "plans_closed": closed,
        "visit": {"plan": visit.plan_id, "cycle": visit.cycle} if visit else None}, remote_addr)
    session.flush()
    return case
