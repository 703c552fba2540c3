"""Alembic's environment: the models' metadata, the connection `webapp.schema` hands over.

SQLite cannot ALTER most things, so its revisions run in batch mode (copy, alter, swap) with
foreign keys off for the swap. `UtcDateTime` is written into revisions as the plain
`sa.DateTime(timezone=True)` it stores, so a revision never imports the app.
"""
from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from webapp.models import Base
from webapp.schema import compare_type, render_item

config = context.config


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite,
                      compare_type=compare_type, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=NullPool)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Tonghu's migrations run against a database (tonghu db upgrade), not as SQL scripts")
run_online()
