"""The database: one engine and sessionmaker per app, one session per request, and the
write locks that let parallel requests on one case take turns instead of failing.

SQLite (WAL, 10 s busy timeout) has one writer at a time; Python's sqlite3 opens the
transaction only at the first write, so reads before it see whatever is committed.
`begin_write` issues `BEGIN IMMEDIATE` at the start of a unit of work, so the request waits
for its turn (up to the busy timeout) and everything it reads afterwards is current.
PostgreSQL locks only the rows in question (`SELECT … FOR UPDATE` in `lock_case`).
"""
from pathlib import Path

from flask import Flask, g
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from .models import Case


def make_sessionmaker(url: str) -> sessionmaker:
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()
    return sessionmaker(engine, expire_on_commit=False)


def upgrade_schema(factory: sessionmaker) -> None:
    """Bring the database to the newest migration (never `create_all`: see webapp/schema.py)."""
    from . import schema
    schema.upgrade(factory.kw["bind"])


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


def session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        from flask import current_app
        g.db_session = current_app.extensions["tonghu.sessionmaker"]()
    return g.db_session


def _close(_exc=None):
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def init_app(app: Flask) -> None:
    factory = make_sessionmaker(app.config["DATABASE_URL"])
    app.extensions["tonghu.sessionmaker"] = factory
    app.teardown_appcontext(_close)
