"""The registry's own rows beside the child: guardians, and the history of every change of the file.

A child's identity, place, school, categories and risk grade live on `Child` (models/case.py);
who changed what, when, from which office and why is kept here, one row per change, so the
file shows its history and the current risk grade says who set it and why.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .org import Office, User


class Guardian(Base):
    """A guardian of a registered child: relation (fixed codes, services/registry) and contact."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_guardians_child_id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    child: Mapped["Child"] = relationship()  # noqa: F821 (models/case.py): an import inserts children in one batch


class RegistryChange(Base):
    """One change of a child's registry entry: `changes` maps a field to [before, after]."""

    __tablename__ = "registry_changes"
    __table_args__ = (Index("ix_registry_changes_child_at", "child_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", name="fk_registry_changes_child_id"))
    at: Mapped[datetime]
    # register | update | import | case (a case registered the child)
    kind: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    # The grade this change set (None when it left the grade alone): the current grade's setter
    # and reason are the newest such row.
    risk_grade: Mapped[str | None] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_registry_changes_user_id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", name="fk_registry_changes_office_id"))

    user: Mapped[User | None] = relationship(lazy="joined")
    office: Mapped[Office | None] = relationship(lazy="joined")
    child: Mapped["Child"] = relationship()  # noqa: F821
