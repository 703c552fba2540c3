"""Scenarios as a product feature: replays of a procedure's scenarios against a draft, and the
scenarios testers write in the browser.

A run is replayed off the web worker (a background thread) on a throwaway database and records
per scenario passed / failed with the failing step and the reason; deploying a draft whose
latest run failed asks for confirmation (`content` is the checksum of the draft files replayed).
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .org import User

RUN_STATUSES = ("running", "passed", "failed", "error")


class ScenarioRun(Base):
    __tablename__ = "scenario_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    # What was replayed: "draft" (the procedure's saved drafts) or "deployed" (its latest version).
    target: Mapped[str] = mapped_column(String(20), server_default="draft")
    content: Mapped[str] = mapped_column(String(64), server_default="")
    status: Mapped[str] = mapped_column(String(20), server_default="running")
    total: Mapped[int] = mapped_column(server_default="0")
    failed: Mapped[int] = mapped_column(server_default="0")
    # [{"name", "line", "source", "status", "failed_step", "failed_line", "reason", "steps_run", "seconds"}]
    results: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_scenario_runs_started_by"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

    started_by: Mapped[User | None] = relationship(lazy="joined")


class SavedScenario(Base):
    """A scenario written in the browser: Gherkin text (one `场景:` block) kept with its procedure;
    `tonghu scenarios export` writes them to `features/` so that `make test` runs them."""
    __tablename__ = "saved_scenarios"
    __table_args__ = (UniqueConstraint("process_id", "name", name="uq_saved_scenarios_process_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_saved_scenarios_saved_by"))
    saved_at: Mapped[datetime]

    saved_by: Mapped[User | None] = relationship(lazy="joined")
