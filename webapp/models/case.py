"""Children, their cases (process instances), the human-task list and the child's file."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .base import Base
from .org import User, region_at_level
from .process import ProcessDefinition


class Child(Base):
    """One child, one file (一人一档) across every procedure and department."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unknown until police or civil affairs complete it when a reporter knew only a name or a
    # description (a mandatory report); unique when known, so a child is never registered twice.
    # In byte order on PostgreSQL too (COLLATE "C", migration 0022), whatever the database's locale:
    # the search by a number's start reads the range [start, start + "~") (services/registry/search.py).
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    # Indexed: the name search by prefix (README "The roster", bench/roster.py) reads a range, not the table.
    name: Mapped[str] = mapped_column(String(50), index=True)
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(10))
    # Who the child is when the name alone does not say (an unidentified child: age, looks, place).
    description: Mapped[str | None] = mapped_column(Text)
    # The residence: the village whose child director holds the child, and where place-routed tasks go.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # The household registration place (户籍地), which may differ from the residence.
    household_region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    # The child's school (a unit): the default unit for school tasks.
    school_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Registry categories (fixed codes, see services/registry) and the colour-graded risk.
    categories: Mapped[list] = mapped_column(JSON, default=list)
    # Indexed with the residence: a county's children of one grade are one range, in the list's order.
    risk_grade: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]

    # ix_children_id_number_region: a number's start within the searcher's jurisdiction, the residence
    # checked in the index (no row read for another county's children), in number order.
    __table_args__ = (Index("ix_children_risk_region", "risk_grade", "region_code", "id"),
                      Index("ix_children_id_number_region", "id_number", "region_code"))


CASE_STATUSES = ("running", "completed", "cancelled", "error")


class Case(Base):
    """A running or finished process instance for one child."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    end_event: Mapped[str | None] = mapped_column(String(100))
    end_event_name: Mapped[str | None] = mapped_column(String(200))
    workflow_json: Mapped[str] = mapped_column(Text)
    error_message: Mapped[str | None] = mapped_column(Text)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # The messages and signals the workflow waits for ([{kind, name, element, title, process_id}],
    # None when none), written with the workflow by `save_run`: the case page's waiting line and
    # the cases a signal reaches, without loading workflows.
    waiting_for: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    # Optimistic locking: every save checks and bumps this counter.
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}

    definition: Mapped[ProcessDefinition] = relationship(lazy="joined")
    child: Mapped[Child] = relationship(lazy="joined")
    started_by: Mapped[User | None] = relationship()


TASK_STATES = ("open", "completed", "cancelled")


class HumanTask(Base):
    """The task list, kept beside the workflow blob so listing never deserialises it."""

    __tablename__ = "human_tasks"
    __table_args__ = (UniqueConstraint("case_id", "task_guid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))  # ix_human_tasks_case_steps
    task_guid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    process_id: Mapped[str] = mapped_column(String(100))
    form: Mapped[str | None] = mapped_column(String(200))
    lane_name: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(40))
    lane_department: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    # The case's region at the lane's level: the office this task is routed to.
    office_region: Mapped[str] = mapped_column(String(12))
    # Copies of the case's region and procedure, so lists filter and sort on one indexed table
    # (a case never changes either).
    case_region: Mapped[str] = mapped_column(String(12))
    # The unit chosen in the case's data (lane property `unitFrom`), or None: the office acts.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(100))
    # The county (12-digit code) of `office_region` and of `case_region`, set whenever either is
    # (`_counties`; a Core UPDATE of either must set it too): a county's supervisor list and the
    # lead department's overdue view are one index range in due order, never a sort of the county.
    office_county: Mapped[str] = mapped_column(String(12), server_default="")
    case_county: Mapped[str] = mapped_column(String(12), server_default="")
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime]
    due: Mapped[datetime | None] = mapped_column(index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None]
    completed_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    data: Mapped[dict | None] = mapped_column(JSON)
    escalated_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(lazy="joined")
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id], lazy="joined")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id], lazy="joined")

    @property
    def holder_username(self) -> str | None:
        """Who holds the task, by login name (a list row, `services.tasklists.API_COLUMNS`, has the same)."""
        return self.claimed_by.username if self.claimed_by else None

    @validates("office_region", "case_region")
    def _counties(self, key: str, code: str) -> str:
        """Keep the county copies with the regions, whoever writes them (start, move, re-route)."""
        county = region_at_level(code, "county") if code else ""
        setattr(self, "office_county" if key == "office_region" else "case_county", county)
        return code


# The task lists' indexes (bench/task_lists.py prints the plans that use them). `due IS NULL`
# leads the due date so "soonest first, undated last" is read in index order, with a LIMIT;
# `unit_id`, `procedure` and `claimed_by_id` close it so an office's list (its own tasks, not
# its units'), filtered by procedure or holder, is counted and cut from the index alone,
# without reading a row per task.
NO_DUE = HumanTask.due.is_(None)
Index("ix_human_tasks_office_due", HumanTask.state, HumanTask.department, HumanTask.office_region,
      NO_DUE, HumanTask.due, HumanTask.id, HumanTask.unit_id, HumanTask.procedure, HumanTask.claimed_by_id)
# A supervisor's list: the department's tasks of every office and unit in the county (a township's
# share by `office_region`), in due order, filtered by procedure or holder on the index alone.
Index("ix_human_tasks_county_due", HumanTask.state, HumanTask.department, HumanTask.office_county,
      NO_DUE, HumanTask.due, HumanTask.id, HumanTask.office_region, HumanTask.unit_id, HumanTask.procedure,
      HumanTask.claimed_by_id)
# A case's tasks by state; its completed steps in the order they were done (the history every
# completion answers with, `cases.history_json`, read without sorting), its open ones by id.
Index("ix_human_tasks_case_steps", HumanTask.case_id, HumanTask.state, HumanTask.completed_at, HumanTask.id)
# Overdue in a county (the lead department's view), longest overdue first; its counts per office,
# and a township's share (`case_region`), are read from the index alone.
Index("ix_human_tasks_overdue", HumanTask.state, HumanTask.case_county, HumanTask.due, HumanTask.id,
      HumanTask.department, HumanTask.office_region, HumanTask.case_region)


class CaseFileEntry(Base):
    """An entry of the child's file: a recorded step, a document, a note."""

    __tablename__ = "case_file_entries"
    __table_args__ = (Index("ix_case_file_entries_child_created", "child_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # step | document | event
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)  # HTML for documents
    # A document's number (文号, e.g. 岳民委托〔2026〕12号), allocated once when it is filed from its
    # issuer's counter (models/documents.py): unique per issuing office and year. Not unique as text:
    # two counties whose names start alike may print the same prefix.
    document_number: Mapped[str | None] = mapped_column(String(60))
    data: Mapped[dict | None] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    created_at: Mapped[datetime]

    author: Mapped[User | None] = relationship(lazy="joined")
    child: Mapped[Child] = relationship()
    case: Mapped[Case | None] = relationship()


class WaitingTimer(Base):
    """Fire time of each timer a case waits on, so the scheduler finds due work in one query."""

    __tablename__ = "waiting_timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str | None] = mapped_column(String(200))
    fire_at: Mapped[datetime] = mapped_column(index=True)

    case: Mapped[Case] = relationship()
