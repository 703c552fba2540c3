"""Document numbers (文号): one counter per issuing office and year."""
from sqlalchemy import Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class DocumentCounter(Base):
    """The last number an office issued in a year; bumped in the filing transaction, so two
    documents filed at once get two numbers (PostgreSQL locks the row; SQLite has one writer)."""

    __tablename__ = "document_counters"
    __table_args__ = (PrimaryKeyConstraint("issuer", "year", name="pk_document_counters"),)

    # The issuing office as `department@region code` (an office may be renamed; its seat may not).
    issuer: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
