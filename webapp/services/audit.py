"""Append to the audit log (who, when, which office, from where, what) and search it.

Reads of a child's personal data are entries too (`record_read`): PIPL treats minors'
data as sensitive, so every page or API answer that shows it leaves a row, written in a
transaction of its own so that a page view (which commits nothing) still leaves its trace,
or with the view's one commit when it makes one, written on its own should the view fail
before it (`read_committed_with`: the child's file, one transaction instead of two or three).
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from ..engine import clock as engine_clock
from ..models import AuditEntry, Child, User

# What a read entry says was read. `psych.read` is the stricter record of the psychological
# health file (services.cases), `revocation.read` of a revocation case: a private case's reads carry
# them instead of the ordinary ones.
READ_ACTIONS = ("child.read", "case.read", "task.read", "document.read", "diagram.read", "monitoring.read", "psych.read",
                "revocation.read", "reporter.read")


def record(session: Session, now, user: User | None, action: str, target: str | None = None,
           detail: dict | None = None, remote_addr: str | None = None, child_id: int | None = None) -> None:
    session.add(AuditEntry(**_values(now, user, action, target, detail, remote_addr, child_id)))


_INSERT = insert(AuditEntry.__table__)


def write(session: Session, now, user: User | None, action: str, target: str | None = None,
          detail: dict | None = None, remote_addr: str | None = None, child_id: int | None = None) -> None:
    """The entry `record` makes, written at once as one INSERT with no object to track (for a
    hot path already holding its write lock: a completion)."""
    session.connection().execute(_INSERT, {
        "at": now, "user_id": user.id if user else None, "username": user.username if user else None,
        "office_id": user.office_id if user else None, "action": action, "target": target, "detail": detail,
        "remote_addr": remote_addr, "child_id": child_id})


def record_read(session: Session, user: User, action: str, target: str, *, child_id: int | None = None,
                detail: dict | None = None, now=None, remote_addr: str | None = None,
                into: "PendingReads | None" = None) -> None:
    """Record that `user` read a child's personal data, in a transaction of its own.

    A read is a fact once the data has left, whether the request then writes, fails or (as
    every page view does) ends without a commit; so this entry does not wait for the caller's
    unit of work. Call it before the request writes anything (SQLite admits one writer).
    `into`: the reads a view writes with its own commit (`read_committed_with`), which keeps
    the same promise.
    """
    values = _values(now or engine_clock.active().now(), user, action, target, detail, remote_addr, child_id)
    if into is not None:
        into.add(values)
        return
    _write_own(session, [values])


def _values(now, user: User | None, action: str, target: str | None, detail: dict | None, remote_addr: str | None,
            child_id: int | None) -> dict:
    return {"at": now, "user_id": user.id if user else None, "username": user.username if user else None,
            "office_id": user.office_id if user else None, "action": action, "target": target, "detail": detail,
            "remote_addr": remote_addr, "child_id": child_id}


def _write_own(session: Session, entries: list[dict]) -> None:
    with Session(bind=session.get_bind()) as own:
        own.add_all(AuditEntry(**values) for values in entries)
        own.commit()


class PendingReads:
    """Read entries waiting for the caller's commit (`read_committed_with`)."""

    def __init__(self, session: Session):
        self.session, self.entries, self.rows = session, [], []

    def add(self, values: dict) -> None:
        row = AuditEntry(**values)
        self.session.add(row)
        self.entries.append(values)
        self.rows.append(row)


@contextmanager
def read_committed_with(session: Session, user: User, action: str, target: str, *, child_id: int | None = None,
                        detail: dict | None = None, now=None, remote_addr: str | None = None):
    """`record_read` for a view that commits anyway, in one transaction instead of two: the entry (and
    any the block adds through the `PendingReads` it is given, `record_read(..., into=)`) joins the
    caller's unit of work, and the block ends with the caller's commit, which writes them; flushed by
    that commit only, so SQLite's one writer is held a moment, not through the page's reads.

    The promise stays: should the block raise before its commit has gone through, the caller's work
    is rolled back and the entries written in a transaction of their own, then the error goes on; a
    block that ends without committing is a mistake and raises after doing the same.
    """
    pending = PendingReads(session)
    pending.add(_values(now or engine_clock.active().now(), user, action, target, detail, remote_addr, child_id))
    try:
        with session.no_autoflush:
            yield pending
    except BaseException:
        _write_unwritten(session, pending)
        raise
    if any(inspect(row).pending for row in pending.rows):
        _write_unwritten(session, pending)
        raise RuntimeError("read_committed_with: the block must end with the caller's commit")


def _write_unwritten(session: Session, pending: PendingReads) -> None:
    """Roll the caller's work back and write, in a transaction of their own, the entries its commit did
    not (a committed row stays persistent through the rollback; a pending or only flushed one does not)."""
    session.rollback()
    unwritten = [values for values, row in zip(pending.entries, pending.rows) if not inspect(row).persistent]
    if unwritten:
        _write_own(session, unwritten)


def latest(session: Session, limit: int = 200) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))


# -- searching (the admin's audit page) ---------------------------------------------------------
READS = "reads"  # the action filter meaning "every read of personal data"


@dataclass
class Page:
    entries: list[AuditEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def child_by_reference(session: Session, reference: str) -> Child | None:
    """A child named by file number (its id) or resident ID number."""
    reference = reference.strip()
    if reference.isdigit() and len(reference) < 18:
        return session.get(Child, int(reference)) if int(reference) < 2**63 else None
    return session.scalars(select(Child).where(Child.id_number == reference.upper())).first()


def search(session: Session, *, child_id: int | None = None, username: str | None = None,
           action: str | None = None, since: date | None = None, until: date | None = None,
           page: int = 1, per_page: int = 50) -> Page:
    """Entries matching every given filter, newest first; dates are China's calendar days, inclusive."""
    query = select(AuditEntry)
    if child_id is not None:
        query = query.where(AuditEntry.child_id == child_id)
    if username:
        query = query.where(AuditEntry.username == username)
    if action == READS:
        query = query.where(AuditEntry.action.in_(READ_ACTIONS))
    elif action:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= _day_start(since))
    if until is not None:
        query = query.where(AuditEntry.at < _day_start(until + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    entries = session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(entries), total, page, per_page)


def actions(session: Session) -> list[str]:
    """Every action the log holds, for the filter's choices."""
    return sorted(set(session.scalars(select(AuditEntry.action).distinct())) | set(READ_ACTIONS))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), engine_clock.LOCAL_TZ)
