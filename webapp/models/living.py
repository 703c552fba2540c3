"""Basic living support (基本生活保障): the support a county granted, and its monthly payment ledger.

A support is a row, not a loop in a workflow: the `basic_living_support` case decides, reviews
and stops it, and the scheduler opens one payment row per month while it runs (see
`webapp/services/living/payments.py`). `(support_id, month)` is unique, so a month is opened
once however often the scheduler runs.
"""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .case import Case, Child

SUPPORT_STATUSES = ("active", "stopped")


class LivingSupport(Base):
    __tablename__ = "living_supports"
    __table_args__ = (
        Index("ix_living_supports_status_region", "status", "region_code"),
        UniqueConstraint("case_id", name="uq_living_supports_case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_living_supports_child_id"), index=True)
    # The case that granted it (and reviews and stops it); one support per case.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", name="fk_living_supports_case_id"))
    region_code: Mapped[str] = mapped_column(String(12))  # where it was granted: the county pays
    category: Mapped[str] = mapped_column(String(30))
    monthly_amount_fen: Mapped[int]  # the regional standard at the grant or the last review, in fen
    standard: Mapped[str] = mapped_column(String(100))  # which regional standard gave the amount
    medical_aid_percent: Mapped[int | None]  # regional medical-aid ratio for the category, if any
    start_month: Mapped[date]  # first day of the first month paid
    # Payments run through the month containing this day: the 18th birthday, or the end of study.
    ends_on: Mapped[date]
    in_school_until: Mapped[date | None]
    next_review: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="active", server_default="active")
    stop_reason: Mapped[str | None] = mapped_column(String(40))
    stopped_on: Mapped[date | None]
    granted_at: Mapped[datetime]
    row_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": row_version}

    child: Mapped[Child] = relationship()
    case: Mapped[Case] = relationship()


class LivingPayment(Base):
    """One month of one support, opened by the scheduler for the finance office to pay."""

    __tablename__ = "living_payments"
    __table_args__ = (
        UniqueConstraint("support_id", "month", name="uq_living_payments_support_month"),
        Index("ix_living_payments_region_month", "region_code", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    support_id: Mapped[int] = mapped_column(ForeignKey("living_supports.id", name="fk_living_payments_support_id"),
                                            index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_living_payments_child_id"))
    region_code: Mapped[str] = mapped_column(String(12))  # copied from the support: lists need no join
    month: Mapped[date]  # first day of the month
    amount_fen: Mapped[int]
    category: Mapped[str] = mapped_column(String(30))
    opened_at: Mapped[datetime]

    support: Mapped[LivingSupport] = relationship()
    child: Mapped[Child] = relationship()
