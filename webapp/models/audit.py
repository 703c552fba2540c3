"""Who did what, when, from which office: the audit trail."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(80))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    # The child whose personal data an entry is about (reads, above all), so admins can ask
    # "who read this child's data" with one indexed query.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
