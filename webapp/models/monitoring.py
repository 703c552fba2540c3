"""Recurring monitoring: a plan per child and kind of visit, and one row per visit started.

Recurring work that lasts years is not one ever-growing workflow loop (DESIGN.md "Known
engine limit"): the plan holds the rhythm, and each cycle is a short `monitoring_visit`
case of its own. `(plan_id, cycle)` is unique, so a cycle can be started only once, however
many schedulers race for it.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .case import Case, Child

PLAN_STATUSES = ("active", "ended", "closed")  # ended: reached `until`; closed: the owning case closed it


class MonitoringPlan(Base):
    __tablename__ = "monitoring_plans"
    __table_args__ = (Index("ix_monitoring_plans_due", "status", "next_open_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    # The case whose step opened the plan (e.g. the entrustment agreement); it closes it too.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    process_id: Mapped[str] = mapped_column(String(100))
    cadence: Mapped[str] = mapped_column(String(20))  # ISO 8601 duration, copied from the settings
    lead: Mapped[str] = mapped_column(String(20))
    anchor: Mapped[datetime]  # visit k is due at anchor + k x cadence (local end of day)
    until: Mapped[datetime | None]  # no visit is due on or after this moment (the 18th birthday)
    cycle: Mapped[int] = mapped_column(default=0)  # cycles started so far
    next_due: Mapped[datetime]
    next_open_at: Mapped[datetime]
    carer: Mapped[str | None] = mapped_column(String(200))
    # The chosen care institution (a unit): its officials make the institution's visits (routing.py).
    carer_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    status: Mapped[str] = mapped_column(String(10), default="active")
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}

    child: Mapped[Child] = relationship()
    case: Mapped[Case] = relationship()


class MonitoringVisit(Base):
    """Cycle `cycle` of a plan, started once as the case `case_id`."""

    __tablename__ = "monitoring_visits"
    __table_args__ = (UniqueConstraint("plan_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("monitoring_plans.id"), index=True)
    cycle: Mapped[int]
    due: Mapped[datetime]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    started_at: Mapped[datetime]

    plan: Mapped[MonitoringPlan] = relationship()
    case: Mapped[Case | None] = relationship()
