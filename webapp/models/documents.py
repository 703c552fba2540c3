"""Document numbers (文号): one counter per issuing office and year; the PDF filed with each document."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .case import CaseFileEntry


class DocumentCounter(Base):
    """The last number an office issued in a year; bumped in the filing transaction, so two
    documents filed at once get two numbers (PostgreSQL locks the row; SQLite has one writer)."""

    __tablename__ = "document_counters"
    __table_args__ = (PrimaryKeyConstraint("issuer", "year", name="pk_document_counters"),)

    # The issuing office as `department@region code` (an office may be renamed; its seat may not).
    issuer: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class DocumentPdf(Base):
    """The PDF of a filed document, rendered once when the document is issued and served from
    here ever after: what was archived or sent is what a later download gives."""

    __tablename__ = "document_pdfs"
    __table_args__ = (PrimaryKeyConstraint("entry_id", name="pk_document_pdfs"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("case_file_entries.id", name="fk_document_pdfs_entry_id"))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]

    entry: Mapped[CaseFileEntry] = relationship()
