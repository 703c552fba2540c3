"""Copy the task-list benchmark's rows from its SQLite database into PostgreSQL (bench/task_lists.py --postgres).

The PostgreSQL database gets the demo organisation from `tonghu demo-data` as usual; the
benchmark's own rows (regions, children, cases, task rows, the long file) are streamed over with
COPY, their references to users and definitions mapped by name (ids may differ between the two
databases), then VACUUM ANALYZE so the planner knows the tables and index-only scans can be used.
"""
import sqlite3
from pathlib import Path

# table: (the rows to copy, the columns PostgreSQL numbers itself)
TABLES = {
    "regions": ("1", ()),
    "children": ("id >= 1000", ()),
    "cases": ("id >= 1000", ()),
    "human_tasks": ("case_id >= 1000", ("id",)),
    "case_file_entries": ("child_id >= 1000", ("id",)),
}
USER_COLUMNS = ("claimed_by_id", "completed_by_id", "started_by_id", "author_id")


def _columns(source: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in source.execute(f"PRAGMA table_info({table})")]


def copy(sqlite_path: Path, app) -> dict[str, int]:
    """Copy the rows into the app's (PostgreSQL) database; returns the rows copied per table."""
    source = sqlite3.connect(sqlite_path)
    make = app.extensions["tonghu.sessionmaker"]
    copied = {}
    with make() as s:
        target = s.connection().connection.driver_connection  # psycopg
        with target.cursor() as cur:
            cur.execute("SET TimeZone = 'UTC'")  # SQLite holds naive UTC text
            cur.execute("SET session_replication_role = replica")  # rows arrive in any order: no FK checks
            users = _by_name(cur, source, "users", "username")
            definitions = _by_name(cur, source, "process_definitions", "process_id || ':' || version")
            known_regions = {code for (code,) in cur.execute("SELECT code FROM regions")}
            for table, (where, numbered) in TABLES.items():
                columns = [c for c in _columns(source, table) if c not in numbered]
                rows = source.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}")
                mapped = {i: users for i, c in enumerate(columns) if c in USER_COLUMNS}
                if "definition_id" in columns:
                    mapped[columns.index("definition_id")] = definitions
                count = 0
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as stream:
                    for row in rows:
                        if table == "regions" and row[0] in known_regions:
                            continue
                        row = list(row)
                        for i, mapping in mapped.items():
                            if row[i] is not None:
                                row[i] = mapping[row[i]]
                        stream.write_row(row)
                        count += 1
                copied[table] = count
            for table in ("children", "cases"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        s.commit()
    source.close()
    with make.kw["bind"].connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    return copied


def _by_name(cur, source: sqlite3.Connection, table: str, name: str) -> dict[int, int]:
    """SQLite id -> PostgreSQL id of the rows of `table` with the same `name` expression."""
    theirs = {key: id_ for id_, key in cur.execute(f"SELECT id, {name} FROM {table}")}
    return {id_: theirs[key] for id_, key in source.execute(f"SELECT id, {name} FROM {table}") if key in theirs}
