"""Work in progress of the process designers: drafts of BPMN files and forms saved in the browser.

A ``bpmn`` draft is a diagram file (keyed by its file name, e.g. ``entrustment_care.bpmn``)
being edited; deploying it makes new versions of every procedure that uses the file and
removes the draft. A ``form`` row is a form's JSON Schema saved by a designer: it takes the
place of ``forms/<name>`` for every later deploy (deployed versions keep the forms they were
deployed with, so running cases are not affected).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .org import User

DRAFT_KINDS = ("bpmn", "form")


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    # Bumped on every save: a save based on an older revision is refused (two designers, one file).
    revision: Mapped[int] = mapped_column(default=1)
    # The deployed version (process_definitions.id) the draft was started from, if any.
    base_definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]

    updated_by: Mapped[User | None] = relationship(lazy="joined")
