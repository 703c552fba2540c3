"""The school's yearly mental-health check of one pupil (shanghai （十二）): a light task, not a case.

A sibling of `RosterTask`, not one of its kinds: a roster task is held by the child's village
(`office_region`, read by village, township and county lists, recorded by the child director,
escalated to the township), a school check by the child's school (a unit, `unit_id`), recorded
by the school's officials and escalated to the county's education bureau. Sharing the table
would put a branch on the holder in every roster query. `(child_id, school_year)` is unique, so
a run twice opens nothing twice; a concern starts `psych_referral` (`started_case_id`).
"""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base
from .case import Case, Child
from .org import User
from .unit import Unit

SCHOOL_CHECK_STATES = ("open", "completed", "cancelled")


class SchoolCheck(Base):
    __tablename__ = "school_checks"
    __table_args__ = (
        UniqueConstraint("child_id", "school_year", name="uq_school_checks_child_year"),
        # The school's list: its open checks, soonest due first (one seek per school).
        Index("ix_school_checks_unit_due", "state", "unit_id", "due", "id"),
        # The escalation job: open checks past due not yet escalated.
        Index("ix_school_checks_overdue", "state", "escalated_at", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_school_checks_child"))
    school_year: Mapped[int]  # the calendar year the school year began in
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", name="fk_school_checks_unit"))
    starts_on: Mapped[date]
    due: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    created_at: Mapped[datetime]
    findings: Mapped[dict | None] = mapped_column(JSON)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_school_checks_completed_by"))
    completed_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    started_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", name="fk_school_checks_started_case"))

    child: Mapped[Child] = relationship()
    unit: Mapped[Unit] = relationship()
    completed_by: Mapped[User | None] = relationship()
    started_case: Mapped[Case | None] = relationship()


@event.listens_for(Session, "after_flush")
def _checks_follow_the_school(session: Session, _context) -> None:
    """A pupil's open check moves to the new school on the flush that changes it (the file, the registry's
    edit or import); without a school it is cancelled. The daily run repeats this for bulk writes."""
    for child in session.dirty:
        if isinstance(child, Child) and inspect(child).attrs.school_unit_id.history.has_changes():
            table = SchoolCheck.__table__
            where = update(table).where(table.c.child_id == child.id, table.c.state == "open")
            values = {"unit_id": child.school_unit_id} if child.school_unit_id else {"state": "cancelled"}
            session.connection().execute(where.values(**values))
