"""The database: one engine and sessionmaker per app, one session per request.

The write locks that let parallel requests on one case take turns are in
`webapp/services/locking.py` (no Flask there).
"""
from pathlib import Path

from flask import Flask, g
from sqlalchemy import create_engine, event
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
    return sessionmaker(engine, expire_on_commit=False)


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


def _close(_exc=None):
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def init_app(app: Flask) -> None:
    factory = make_sessionmaker(app.config["DATABASE_URL"])
    app.extensions["tonghu.sessionmaker"] = factory
    app.teardown_appcontext(_close)
