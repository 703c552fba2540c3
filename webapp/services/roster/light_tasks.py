"""What the two light tasks share, the roster's contacts and visits and the school's yearly checks:
a row per child and period with a state, recorded once, cancelled when the child leaves, and
following the child (its village, its school) while open.

One place for the record guard (a second record, or two at once, is told who recorded it) and
for the daily sweep's bulk upkeep, so the two kinds cannot drift apart.
"""
from sqlalchemy import exists, not_, select, update
from sqlalchemy.orm import Session

from ...models import Child
from ..errors import Conflict


def ensure_open(task, noun: str, cancelled: str) -> None:
    """409 unless `task` is open: who recorded it, or why it was cancelled (`noun`: 任务, 监测)."""
    if task.state == "completed":
        by = task.completed_by.display_name if task.completed_by else "他人"
        raise Conflict(f"该{noun}已由{by}登记，不能重复登记")
    if task.state != "open":
        raise Conflict(cancelled)


def mark_completed(session: Session, task, findings: dict, user, now, noun: str) -> None:
    """Record `findings` on `task` with a conditional UPDATE: of two officials submitting at once one
    wins, the other gets a 409 and nothing of theirs is kept (the caller's transaction is rolled back)."""
    model = type(task)
    done = session.execute(update(model).where(model.id == task.id, model.state == "open")
                           .values(state="completed", findings=findings, completed_by_id=user.id, completed_at=now)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict(f"该{noun}刚被他人登记，本次未保存")
    session.refresh(task)


def cancel_departed(session: Session, model, staying) -> int:
    """Cancel the open tasks of `model` whose child no longer meets `staying` (a condition on Child)."""
    gone = exists().where(Child.id == model.child_id, not_(staying))
    result = session.execute(update(model).where(model.state == "open", gone)
                             .values(state="cancelled").execution_options(synchronize_session=False))
    return max(result.rowcount or 0, 0)


def follow_child(session: Session, column, child_column) -> int:
    """Open tasks whose `column` (the village, the school) differs from the child's `child_column` take
    the child's: bulk writes that the flush hooks (models/roster.py, models/school_check.py) did not see."""
    model = column.class_
    current = select(child_column).where(Child.id == model.child_id).scalar_subquery()
    result = session.execute(update(model).where(model.state == "open", column != current)
                             .values({column.key: current}).execution_options(synchronize_session=False))
    return max(result.rowcount or 0, 0)
