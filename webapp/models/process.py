"""Deployed process definitions: one row per version, never changed after deploy."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ProcessDefinition(Base):
    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("process_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    # Every BPMN/DMN file the process needs (itself and what it calls): {filename: xml}.
    # Deferred, as `forms`: a case loads its definition with it, and lists must not decode
    # these per row; `services.definitions` keeps each version's parsed files and forms.
    files: Mapped[dict] = mapped_column(JSON, deferred=True)
    # The JSON Schemas of the forms those files name: {filename: schema}.
    forms: Mapped[dict] = mapped_column(JSON, deferred=True)
    # Hash of `files` and `forms`, so deploying unchanged files makes no new version.
    checksum: Mapped[str] = mapped_column(String(64))
    start_form: Mapped[str | None] = mapped_column(String(200))
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deployed_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    # A regional variant: the region-code prefix (province "31", city "5001") this version serves;
    # "" is the national version. A case starts on the newest version of the longest prefix of
    # its region, else on the newest national one (`services/variants.py`).
    region_prefix: Mapped[str] = mapped_column(String(12), server_default="", index=True)
