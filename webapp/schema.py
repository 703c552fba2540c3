"""The database schema over releases: Alembic migrations shipped inside the package, and backups.

Every schema change is a revision in `webapp/migrations/versions/`; `tonghu db upgrade` brings
any older database to head, keeping its rows. Nothing here uses `create_all`: a database
made by the migrations is the only kind the app runs on, so what a test sees is what an
upgraded deployment has. No Flask here; the CLI and the app hand in an SQLAlchemy engine.
"""
import sqlite3
import warnings
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, Engine, inspect

from .models.base import UtcDateTime

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"
# The tables release 0.1 made with `create_all`, before migrations existed (fixed forever).
BASELINE_TABLES = frozenset({
    "departments", "regions", "scheduler_leases", "children", "offices", "users", "audit_log",
    "process_definitions", "cases", "drafts", "case_file_entries", "human_tasks", "monitoring_plans",
    "waiting_timers", "monitoring_visits", "notifications"})


class SchemaError(Exception):
    """The database cannot be used or changed as asked; the message says what to do."""


def render_item(type_, obj, _autogen_context):
    """Write `UtcDateTime` into revisions as the DateTime it stores, so revisions never import the app."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def compare_type(_context, _inspected_column, _metadata_column, inspected_type, metadata_type):
    """A `UtcDateTime` column matches any DATETIME/TIMESTAMP; the rest as Alembic compares them."""
    if isinstance(metadata_type, UtcDateTime):
        return not isinstance(inspected_type, DateTime)
    return None


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def _run(engine: Engine, action, *args, **kwargs):
    with engine.connect() as connection:
        result = action(alembic_config(connection), *args, **kwargs)
        connection.commit()
    return result


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision`; a release-0.1 database (tables, no version) is first stamped at the baseline."""
    if current(engine) is None:
        tables = set(inspect(engine).get_table_names())
        if tables & BASELINE_TABLES:
            missing = BASELINE_TABLES - tables
            if missing:
                raise SchemaError(f"数据库缺少表 {', '.join(sorted(missing))}，不是童护 0.1 版的数据库，未做任何改动")
            _run(engine, command.stamp, BASELINE)
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    if current(engine) is None:
        raise SchemaError("数据库尚无迁移版本，无可回退")
    _run(engine, command.downgrade, revision)


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: empty, or made before migrations existed)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def history() -> list[tuple[str, str | None, str]]:
    """(revision, down revision, message) from the newest to the baseline."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return [(s.revision, s.down_revision, s.doc) for s in scripts.walk_revisions()]


def differences(engine: Engine) -> list:
    """What autogenerate would write for this database at head: empty when models and migrations agree.

    Autogenerate cannot reflect expression indexes (e.g. `(due IS NULL)` in the task list's
    index) and says so with a warning; those are compared by name instead.
    """
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*expression-based index")
            found = compare_metadata(context, _metadata())
        present = _index_names(connection)
        for table in _metadata().sorted_tables:
            for index in table.indexes:
                if index.name not in present:
                    found.append(("add_index", index))
        return found


def _index_names(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
    else:
        rows = connection.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    return {row[0] for row in rows}


def _metadata():
    from .models import Base
    return Base.metadata


def revision(engine: Engine, message: str) -> str:
    """Write a new revision from what the models add to a database at head; its file path."""
    if current(engine) != head():
        raise SchemaError("请先把这个数据库升级到最新（tonghu db upgrade），再从模型生成新的迁移")
    script = _run(engine, command.revision, message=message, autogenerate=True)
    return script.path


def backup(engine: Engine, path: Path) -> Path:
    """Copy a SQLite database with SQLite's online backup API: consistent while the app writes."""
    if engine.dialect.name != "sqlite":
        raise SchemaError("tonghu db backup 只用于 SQLite；PostgreSQL 请用 pg_dump（见 README）")
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise SchemaError("内存数据库无法备份")
    if not Path(source_path).exists():
        raise SchemaError(f"数据库文件不存在：{source_path}")
    path = Path(path)
    if path.exists():
        raise SchemaError(f"{path} 已存在，不会覆盖")
    if not path.parent.is_dir():
        raise SchemaError(f"目录不存在：{path.parent}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return path
