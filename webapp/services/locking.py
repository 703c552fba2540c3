"""The write locks that let parallel work on one case take turns instead of failing.

SQLite (WAL, 10 s busy timeout) has one writer at a time; Python's sqlite3 opens the
transaction only at the first write, so reads before it see whatever is committed.
`begin_write` issues `BEGIN IMMEDIATE` at the start of a unit of work, so the request waits
for its turn (up to the busy timeout) and everything it reads afterwards is current.
PostgreSQL locks only the rows in question (`SELECT … FOR UPDATE` in `lock_case`).
"""
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case


def begin_write(session: Session) -> None:
    """Make the session's transaction the database's writer now (SQLite); elsewhere a no-op.

    Waits for another writer up to the busy timeout; raises `OperationalError` ("database
    is locked") after it. A transaction that has already written holds the lock already.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_case(session: Session, case_id: int) -> Case | None:
    """Lock a case for the rest of the transaction and read it afresh (None if it is gone).

    Everything that changes a case's workflow takes this first, so two completions of one
    case run one after the other and the second starts from the first's saved workflow.
    """
    begin_write(session)
    query = select(Case).where(Case.id == case_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(of=Case)
    return session.scalars(query).first()
