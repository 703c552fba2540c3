"""The database: one engine and sessionmaker per app, one session per request.

The write locks that let parallel requests on one case take turns are in
`webapp/services/locking.py` (no Flask there).
"""
from pathlib import Path

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker


# No JIT compilation: every statement here reads a page or a few rows, yet an estimate above
# `jit_above_cost` (a range of ID numbers whose rows the planner thinks scattered) had PostgreSQL
# spend 60 ms compiling a search that then ran in 2 ms.
_POSTGRES_OPTIONS = {"options": "-c jit=off"}


def make_sessionmaker(url: str) -> sessionmaker:
    # A server's connection can die between requests (restart, failover): ping it on checkout.
    # A SQLite file cannot, and the ping would be one more statement on every request.
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"),
                           connect_args=_POSTGRES_OPTIONS if url.startswith("postgresql") else {})
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
    _note_writes(engine)
    return sessionmaker(engine, expire_on_commit=False)


# psycopg forgets a connection's prepared statements at every ROLLBACK (they might name objects the
# rollback dropped), and a page that only reads ended its session with one: every statement of every
# page was parsed and planned afresh on PostgreSQL (0.5–1 ms each, a third of a list page's time in
# the database). A request's transaction that wrote nothing is ended with COMMIT instead (`end`),
# the same for the data, and the statements asked again and again stay prepared, their plans kept.
WROTE = "tonghu.wrote"


def _note_writes(engine: Engine) -> None:
    """Mark a connection whose transaction ran anything but a SELECT (flushes, DML, BEGIN IMMEDIATE,
    savepoints), until its transaction ends."""
    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip()[:6].upper() != "SELECT":
            conn.info[WROTE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(conn):
        conn.info.pop(WROTE, None)


def wrote_nothing(s: Session) -> bool:
    """Whether `s` is in a transaction, sound, that has written nothing and has nothing to write."""
    transaction = s.get_transaction()
    if transaction is None or not transaction.is_active or s.new or s.dirty or s.deleted:
        return False
    return not s.connection().info.get(WROTE)


def end(s: Session, failed: bool = False) -> None:
    """Close a request's session: its transaction rolled back, or committed if it only read (see `WROTE`)."""
    try:
        if not failed and wrote_nothing(s):
            s.commit()
    except SQLAlchemyError:
        pass  # nothing was written: the rollback of `close` is the same
    finally:
        s.close()


def upgrade_schema(factory: sessionmaker) -> None:
    """Bring the database to the newest migration (never `create_all`: see webapp/schema.py)."""
    from . import schema
    schema.upgrade(factory.kw["bind"])


def session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        from flask import current_app
        g.db_session = current_app.extensions["tonghu.sessionmaker"]()
    return g.db_session


def _close(exc=None):
    db_session = g.pop("db_session", None)
    if db_session is not None:
        end(db_session, failed=exc is not None)


def init_app(app: Flask) -> None:
    factory = make_sessionmaker(app.config["DATABASE_URL"])
    app.extensions["tonghu.sessionmaker"] = factory
    app.teardown_appcontext(_close)
