"""The scheduler's lease (one firing across processes) and the notices it leaves for people."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .case import Case, HumanTask
from .org import User


class SchedulerLease(Base):
    """Who may run due work now. Claimed with a conditional UPDATE, so one holder at a time.

    Times are wall-clock time, not the engine clock: `tonghu timers fire --as-of 2030-…`
    moves business time, and must not lock the scheduler out until 2030 if it dies.
    """

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[datetime | None]
    last_run_at: Mapped[datetime | None]
    last_result: Mapped[dict | None] = mapped_column(JSON)


class Notification(Base):
    """A notice for a person (or, without one, for every official of an office)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_office", "department", "office_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # overdue
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    department: Mapped[str] = mapped_column(String(40))
    office_region: Mapped[str] = mapped_column(String(12))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # The child a notice is about, for a link to the child's file when no case is named (a move of a
    # child who has no case).
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id", name="fk_notifications_child"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    recipient: Mapped[User | None] = relationship()
    task: Mapped[HumanTask | None] = relationship()
    case: Mapped[Case | None] = relationship()
