"""Work in progress of the process designers: drafts of BPMN files and forms saved in the browser.

A ``bpmn`` (or ``dmn``, a decision table) draft is a diagram file (keyed by its file name, e.g. ``entrustment_care.bpmn``)
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

DRAFT_KINDS = ("bpmn", "dmn", "form")


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


class ProcedureState(Base):
    """A procedure's life outside its versions: made in the browser, retired.

    A row exists only for a procedure a designer created (before its first deploy its diagram
    is the ``bpmn`` draft ``main_file``) or retired; shipped procedures have none until retired.
    Retired: no new cases start on it; running cases continue on their version.
    """
    __tablename__ = "procedure_states"

    process_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    main_file: Mapped[str | None] = mapped_column(String(200))
    copied_from: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_reason: Mapped[str | None] = mapped_column(Text)
