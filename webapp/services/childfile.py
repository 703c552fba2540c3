"""The child's file (一人一档) a page at a time, newest first, as flat at 10 000 entries as at 10.

Entries are read through `ix_case_file_entries_child_created` (child, created_at, id) with a
LIMIT; entries of private cases the viewer may not read are left out in SQL, so counts and
pages agree; the documents' HTML bodies are not loaded for the list.
"""
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, defer, joinedload, lazyload

from ..engine.clock import LOCAL_TZ
from ..models import Case, CaseFileEntry, Child, HumanTask, User
from . import audit, cases
from .errors import Invalid, NotFound
from .tasklists import PER_PAGE, Page

KINDS = ("step", "document", "event", "visit")  # visit: a roster contact or home visit (services/roster)


def child_cases(session: Session, child: Child) -> list[Case]:
    """The child's cases for listing: without their workflow JSON."""
    return list(session.scalars(select(Case).where(Case.child_id == child.id).options(defer(Case.workflow_json))
                                .order_by(Case.started_at, Case.id)))


def file_page(session: Session, child: Child, viewer: User, page: int = 1, per_page: int = PER_PAGE,
              kind: str | None = None, now=None, remote_addr: str | None = None,
              since: str | None = None, until: str | None = None, *, listed: list[Case] | None = None,
              readable: set[int] | None = None, into: audit.PendingReads | None = None) -> Page:
    """One page of the child's file as `viewer` may see it (entries of cases they may not read are left
    out), of one `kind` and between two calendar days (China's, inclusive) when given; showing a
    private case's entries is audited (in a transaction of its own, or `into` the reads the view
    commits). `listed` and `readable`: the child's cases and those the viewer may read, when the
    caller has them (`registry.scope.open_file`); else they are read here."""
    if kind is not None and kind not in KINDS:
        raise Invalid({"kind": f"应为 {', '.join(KINDS)} 之一"})
    start, end = _day(since, "since"), _day(until, "until")
    if listed is None or readable is None:
        listed = child_cases(session, child)
        readable = {c.id for c in listed if cases.can_view_case(session, viewer, c)}
    private = [c for c in listed if cases.is_private(c)]
    # Only what the viewer may see: the entries of cases they may not read stay out (a private
    # procedure's leave no trace at all; see `cases.access`).
    hidden = [c.id for c in listed if c.id not in readable]
    query = select(CaseFileEntry).where(CaseFileEntry.child_id == child.id)
    if hidden:
        query = query.where(or_(CaseFileEntry.case_id.is_(None), CaseFileEntry.case_id.not_in(hidden)))
    if kind:
        query = query.where(CaseFileEntry.kind == kind)
    if start and start > date.min:  # its midnight in Beijing is before the first UTC instant: no lower bound
        query = query.where(CaseFileEntry.created_at >= datetime.combine(start, time(0), LOCAL_TZ))
    if end and end < date.max:  # the calendar's last day has no day after: no upper bound then
        query = query.where(CaseFileEntry.created_at < datetime.combine(end + timedelta(days=1), time(0), LOCAL_TZ))
    total = session.scalar(query.with_only_columns(func.count(CaseFileEntry.id))) or 0
    # An entry's case is one of the child's, already in the session (`listed`, with its procedure): found
    # there, not joined again. Its author by name only, without the user's office and unit.
    author = joinedload(CaseFileEntry.author).load_only(User.id, User.username, User.display_name)
    items = list(session.scalars(
        query.options(defer(CaseFileEntry.body), defer(CaseFileEntry.data), lazyload(CaseFileEntry.case),
                      author.lazyload(User.office), author.lazyload(User.unit))
        .order_by(CaseFileEntry.created_at.desc(), CaseFileEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    shown_private = sorted({e.case_id for e in items} & {c.id for c in private})
    if shown_private:
        cases.audit_private_reads(session, viewer, f"child:{child.id}", [c for c in private if c.id in shown_private],
                                  now, remote_addr, into=into)
    return Page(items, page, per_page, total)


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 and value.isascii() else None
    except ValueError:
        day = None
    if day is not None and date(1900, 1, 1) <= day <= date(9998, 12, 31):  # the day after `until` exists
        return day
    raise Invalid({field: "应为 1900 至 9998 年间的日期（YYYY-MM-DD）"})


def positions(session: Session, listed: list[Case]) -> dict[int, list[dict]]:
    """Where each running case stands: its open steps, their offices and due dates (two queries in all)."""
    running = [c.id for c in listed if c.status == "running"]
    if not running:
        return {}
    tasks = list(session.scalars(select(HumanTask).where(HumanTask.case_id.in_(running), HumanTask.state == "open")
                                 .options(lazyload(HumanTask.case), lazyload(HumanTask.completed_by),
                                          lazyload(HumanTask.claimed_by), defer(HumanTask.data))
                                 .order_by(HumanTask.id)))
    offices = cases.task_offices(session, tasks)
    found: dict[int, list[dict]] = {}
    for t in tasks:
        found.setdefault(t.case_id, []).append({"title": t.title, "office": offices[t.id], "due": t.due})
    return found


def case_documents(session: Session, case: Case) -> list[CaseFileEntry]:
    """The documents filed by one case (the caller has checked the viewer may read the case)."""
    return list(session.scalars(select(CaseFileEntry).where(
        CaseFileEntry.case_id == case.id, CaseFileEntry.kind == "document").options(defer(CaseFileEntry.body))
        .order_by(CaseFileEntry.created_at, CaseFileEntry.id)))


def case_document(session: Session, case: Case, entry_id: int) -> CaseFileEntry:
    entry = session.get(CaseFileEntry, entry_id)
    if entry is None or entry.case_id != case.id or entry.kind != "document":
        raise NotFound("该案件没有这份文书")
    return entry
