"""The child director's roster (走访名册): light tasks per child and period, and the county's file checks.

A routine contact is not a workflow case: at a million children a case per contact would cost
a workflow JSON, task rows and a file entry each month for every child (bench/roster.py). A
roster task is one row; it becomes a case only when a finding starts a procedure
(`started_case_id`). `(child_id, kind, period)` is unique, so a scheduler run twice opens
nothing twice.
"""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base
from .case import Case, Child
from .org import User

ROSTER_KINDS = ("contact", "visit")
ROSTER_STATES = ("open", "completed", "cancelled")


class RosterTask(Base):
    __tablename__ = "roster_tasks"
    __table_args__ = (
        UniqueConstraint("child_id", "kind", "period", name="uq_roster_tasks_child_kind_period"),
        # Every list: a place's open tasks, soonest due first (a seek per place); with the child, so that
        # the village's check "still on the roster" is read from the index too (services/roster/lists.py).
        Index("ix_roster_tasks_office_due", "state", "office_region", "due", "id", "child_id"),
        # A village's list: its children's open tasks, soonest due first, from the index alone.
        Index("ix_roster_tasks_child_state", "child_id", "state", "due"),
        # The escalation job: open tasks past due not yet escalated.
        Index("ix_roster_tasks_overdue", "state", "escalated_at", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_roster_tasks_child"))
    kind: Mapped[str] = mapped_column(String(10))  # contact | visit
    # The period's cadence and first day, e.g. "P1M:2027-03-01" (a grade's cadence, settings.ROSTER_KINDS).
    period: Mapped[str] = mapped_column(String(24))
    starts_on: Mapped[date]
    due: Mapped[datetime]
    # The child's village when the task was opened (re-homed daily after a move; the village's own
    # list reads the child's current residence, so a move shows there at once).
    office_region: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    created_at: Mapped[datetime]
    findings: Mapped[dict | None] = mapped_column(JSON)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_roster_tasks_completed_by"))
    completed_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    # The procedure a finding started (a case of the child), if any.
    started_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", name="fk_roster_tasks_started_case"))

    child: Mapped[Child] = relationship()
    completed_by: Mapped[User | None] = relationship()
    started_case: Mapped[Case | None] = relationship()


@event.listens_for(Session, "after_flush")
def _tasks_follow_the_child(session: Session, _context) -> None:
    """A child's open roster tasks move with the child on the flush that changes its residence (a move,
    resettlement, any edit): the lists read `office_region`, so they are right at once, not after the
    daily sweep (which still re-homes what a bulk write left behind)."""
    for child in session.dirty:
        if isinstance(child, Child) and inspect(child).attrs.region_code.history.has_changes():
            session.connection().execute(update(RosterTask.__table__).where(
                RosterTask.__table__.c.child_id == child.id, RosterTask.__table__.c.state == "open")
                .values(office_region=child.region_code))


class RosterFileCheck(Base):
    """County civil affairs' six-monthly check of one township's files (湖北 二.16).

    A light task, not a BPMN case: a case belongs to one child, and this check is about a
    township's hundreds of files; it has one step (read the list, record findings), and its
    findings go to the township as a notice.
    """

    __tablename__ = "roster_file_checks"
    __table_args__ = (
        UniqueConstraint("township_code", "period", name="uq_roster_file_checks_township_period"),
        Index("ix_roster_file_checks_county", "state", "county_code", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12))
    county_code: Mapped[str] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(10))  # "2027-H1"
    due: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    # The files found wanting when the check opened: [{"child_id", "name", "village", "problems": [...]}].
    items: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    findings: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_roster_file_checks_completed_by"))
    completed_at: Mapped[datetime | None]

    completed_by: Mapped[User | None] = relationship()


class RosterRun(Base):
    """A marker that a set-based roster job ran for a key (e.g. the sweep of one day), so the
    scheduler's every-minute runs do not scan a million children each time."""

    __tablename__ = "roster_runs"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    ran_at: Mapped[datetime]
    count: Mapped[int] = mapped_column(default=0, server_default="0")
