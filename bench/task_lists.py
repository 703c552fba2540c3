#!/usr/bin/env python3
"""Benchmark: the task lists, the overdue view and the child's file at a million task rows.

Builds (once; cached under instance/bench/) a SQLite database with the demo organisation and
processes, 1 000 villages in 10 counties, N human-task rows (default 1 000 000) over N/10
cases and children (about 6 % of the tasks open, 10 % of those undated, a fifth claimed), and
one child with 10 000 file entries. The rows are made by INSERT … SELECT over recursive CTEs,
so a rebuild takes about a minute. Then it asks each list through the app (Flask's test
client: routing, query, template or JSON), as the demo users of county 430104, and prints
p50/p95 per list (the requests taken in rounds across the lists, so a slow moment of this shared
machine falls on all alike) and the EXPLAIN QUERY PLAN of each list's page query.

    .venv/bin/python bench/task_lists.py               # 1 000 000 rows
    .venv/bin/python bench/task_lists.py --rows 200000 --repeat 50
    .venv/bin/python bench/task_lists.py --smoke       # tiny, for CI: it must run, not be fast
    .venv/bin/python bench/task_lists.py --postgres    # the same rows copied into a throwaway PostgreSQL

With `--postgres` the SQLite database is built (or found) as usual, a throwaway PostgreSQL
cluster is started (tests/pg_cluster.py), given the demo data and the benchmark's rows by COPY
(bench/pg_copy.py), and the lists are asked there; the plans are PostgreSQL's EXPLAIN.

The cases' workflow JSON is a 2 KB filler (the lists never read it; a 47 KB real one would
only make the file bigger).
"""
import argparse
import gc
import re
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import event, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _timing import measure_interleaved  # noqa: E402
from summary import record  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.models import Child  # noqa: E402

PASSWORD = "tonghu-demo"
COUNTY = "430104"
CHILD_ENTRIES = 10_000
# One step template per task of a case: (name, title, department, level); the 10th step is the open one.
STEPS = [
    ("report", "接报登记", "village", "village"), ("visit", "入户调查", "township", "township"),
    ("assess", "监护能力评估", "civil_affairs", "county"), ("consent", "监护人意见", "village", "village"),
    ("choose", "选定照护机构", "civil_affairs", "county"), ("sign_t", "乡镇签署", "township", "township"),
    ("sign_i", "机构签署", "care_institution", "county"), ("school", "学校核查", "education", "county"),
    ("sign_c", "民政签署", "civil_affairs", "county"),
]
OPEN_STEPS = [("follow_up", "跟踪回访", "village", "village"), ("review", "乡镇复核", "township", "township"),
              ("decide", "民政审批", "civil_affairs", "county"), ("school_check", "在校核查", "education", "county"),
              ("police_check", "公安核查", "police", "county")]
USERS = {"village": f"village.{COUNTY}001001", "township": f"township.{COUNTY}001000",
         "county": f"civil_affairs.{COUNTY}000000", "supervisor": f"supervisor.civil_affairs.{COUNTY}000000"}


def office(level: str) -> str:
    """SQL for the office region of a case region (`c.region_code`) at `level`."""
    keep = {"village": 12, "township": 9, "county": 6}[level]
    return "c.region_code" if keep == 12 else f"substr(c.region_code, 1, {keep}) || '{'0' * (12 - keep)}'"


def build(app, rows: int) -> None:
    """Fill the database: regions, children, cases, tasks, one long file."""
    result = app.test_cli_runner().invoke(args=["demo-data"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    n_cases = max(rows // 10, 10)
    make = app.extensions["tonghu.sessionmaker"]
    with make() as s:
        s.execute(text("PRAGMA foreign_keys=OFF"))
        counties = [f"4301{n:02d}" for n in range(4, 14)]
        regions, villages = [], []
        for county in counties:
            if county != COUNTY:
                regions.append((f"{county}000000", f"县{county}", "county", "430100000000"))
            for t in range(1, 11):
                township = f"{county}{t:03d}000"
                regions.append((township, f"乡镇{county}{t:03d}", "township", f"{county}000000"))
                for v in range(1, 11):
                    villages.append(f"{county}{t:03d}{v:03d}")
                    regions.append((villages[-1], f"村{county}{t:03d}{v:03d}", "village", township))
        s.execute(text("INSERT OR IGNORE INTO regions (code, name, level, parent_code) VALUES (:c, :n, :l, :p)"),
                  [{"c": c, "n": n, "l": lv, "p": p} for c, n, lv, p in regions])
        s.execute(text("CREATE TEMP TABLE b_villages (n INTEGER PRIMARY KEY, code TEXT)"))
        s.execute(text("INSERT INTO b_villages VALUES (:n, :c)"), [{"n": i, "c": c} for i, c in enumerate(villages)])
        s.execute(text("CREATE TEMP TABLE b_defs (n INTEGER PRIMARY KEY, id INTEGER, process_id TEXT)"))
        s.execute(text("INSERT INTO b_defs SELECT row_number() OVER (ORDER BY id) - 1, id, process_id "
                       "FROM process_definitions"))
        n_defs = s.scalar(text("SELECT count(*) FROM b_defs"))
        steps = [(j, *step) for j, step in enumerate(STEPS)] + [(9 + k, *step) for k, step in enumerate(OPEN_STEPS)]
        s.execute(text("CREATE TEMP TABLE b_steps (j INTEGER, name TEXT, title TEXT, department TEXT, level TEXT)"))
        s.execute(text("INSERT INTO b_steps VALUES (:j, :n, :t, :d, :l)"),
                  [{"j": j, "n": n, "t": t, "d": d, "l": lv} for j, n, t, d, lv in steps])
        # Cases are spread over the two years before 2027-01-01, the benchmark's "now".
        s.execute(text(f"""
            WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n_cases})
            INSERT INTO children (id, id_number, name, birth_date, gender, region_code, created_at)
            SELECT i + 1000, printf('B%017d', i), '儿童' || i, '2015-06-01', 'female',
                   (SELECT code FROM b_villages WHERE n = i % {len(villages)}),
                   datetime('2025-01-01', '+' || (i * 1051200 / {n_cases}) || ' minutes') || '.000000' FROM k"""))
        s.execute(text(f"""
            INSERT INTO cases (id, definition_id, child_id, region_code, status, workflow_json, started_at, row_version)
            SELECT ch.id, d.id, ch.id, ch.region_code, 'running', printf('%.2000c', 'x'), ch.created_at, 1
            FROM children ch JOIN b_defs d ON d.n = ch.id % {n_defs} WHERE ch.id >= 1000"""))
        for level in ("village", "township", "county"):
            s.execute(text(f"""
                INSERT INTO human_tasks (case_id, task_guid, name, title, process_id, form, lane_name, department,
                    lane_department, level, office_region, case_region, office_county, case_county, procedure,
                    state, created_at, due, completed_at)
                SELECT c.id, printf('%08d-%02d', c.id, st.j), st.name, st.title, d.process_id, NULL, NULL,
                       st.department, st.department, st.level, {office(level)}, c.region_code,
                       substr(c.region_code, 1, 6) || '000000', substr(c.region_code, 1, 6) || '000000', d.process_id,
                       CASE WHEN st.j < 9 THEN 'completed' WHEN (c.id / 1000) % 10 < 6 THEN 'open' ELSE 'cancelled' END,
                       datetime(c.started_at, '+' || st.j || ' days') || '.000000',
                       CASE WHEN st.j >= 9 AND (c.id / 1000) % 10 = 0 THEN NULL
                            ELSE datetime(c.started_at, '+' || (st.j + (c.id * 7919) % 500) || ' days') || '.000000' END,
                       CASE WHEN st.j < 9 THEN datetime(c.started_at, '+' || st.j || ' days') || '.000000' END
                FROM cases c JOIN b_defs d ON d.id = c.definition_id
                JOIN b_steps st ON (st.j < 9 OR st.j = 9 + (c.id / 10000 + c.id) % {len(OPEN_STEPS)})
                WHERE c.id >= 1000 AND st.level = '{level}'"""))
        # A fifth of the open tasks are held by an official of their office (where it has one).
        s.execute(text("""
            UPDATE human_tasks SET claimed_by_id = (
                SELECT u.id FROM users u JOIN offices o ON o.id = u.office_id
                WHERE o.department_code = human_tasks.department AND o.region_code = human_tasks.office_region
                  AND u.role = 'official' LIMIT 1)
            WHERE state = 'open' AND id % 5 = 0"""))
        # One child with a long file: a case in the county, and 10 000 entries.
        s.execute(text(f"""
            WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {CHILD_ENTRIES})
            INSERT INTO case_file_entries (child_id, case_id, kind, title, body, data, created_at)
            SELECT 1001, 1001, CASE WHEN i % 50 = 0 THEN 'document' ELSE 'step' END, '走访记录 ' || i,
                   CASE WHEN i % 50 = 0 THEN printf('<p>%.3000c</p>', 'x') END, '{{"note": "ok"}}',
                   datetime('2025-01-01', '+' || i || ' hours') || '.000000' FROM k"""))
        s.execute(text(f"UPDATE cases SET region_code = '{COUNTY}001001' WHERE id = 1001"))
        s.execute(text(f"UPDATE children SET region_code = '{COUNTY}001001' WHERE id = 1001"))
        s.execute(text(f"UPDATE human_tasks SET case_region = '{COUNTY}001001', case_county = '{COUNTY}000000' "
                       "WHERE case_id = 1001"))
        s.commit()
        s.execute(text("ANALYZE"))
        s.commit()


class Plans:
    """Catches the page query of each request (the one with a LIMIT on human_tasks) for EXPLAIN."""

    def __init__(self, engine):
        self.statements = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((statement, parameters))

    def explain(self, make, keyword: str) -> list[str]:
        lines = []
        with make() as s:
            raw = s.connection().connection.driver_connection
            postgres = s.get_bind().dialect.name == "postgresql"
            for statement, params in self.statements:
                if keyword in statement and "LIMIT" in statement and "EXPLAIN" not in statement:
                    if postgres:
                        lines += _pg_plan(raw.execute("EXPLAIN " + statement, params).fetchall(), keyword.split()[-1])
                    else:
                        lines += [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()]
        return lines


def _pg_plan(rows, table: str) -> list[str]:
    """The nodes of a PostgreSQL plan that read `table` or sort its rows, with their conditions,
    without cost estimates (the joins of the page's 50 rows are primary-key lookups)."""
    lines, keep = [], False
    for (line,) in rows:
        text_ = re.sub(r"\s+\(cost=[^)]*\)", "", line).strip().removeprefix("->  ")
        if f" on {table}" in text_ or (text_.startswith("Sort Key") and f"{table}." in text_):
            lines.append(text_)
            keep = f" on {table}" in text_
        elif keep and text_.startswith(("Index Cond", "Filter")):
            lines.append(text_)
        else:
            keep = False
    return lines


def login(app, username: str):
    web = app.test_client()
    response = web.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code in (302, 303), f"cannot log in as {username}"
    token = app.test_client().post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert token.status_code == 200, token.get_data(as_text=True)
    return web, {"Authorization": f"Bearer {token.get_json()['token']}"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="human-task rows (default 1 000 000)")
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per list, taken in rounds across the lists (default 60)")
    parser.add_argument("--smoke", action="store_true", help="2 000 rows, 3 requests: does it run")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    parser.add_argument("--postgres", action="store_true", help="measure on a throwaway PostgreSQL cluster")
    args = parser.parse_args(argv)
    rows, repeat = (2_000, 3) if args.smoke else (args.rows, args.repeat)
    folder = ROOT / "instance" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"task_lists-{rows}-v2.sqlite"  # v2: every office has open, dated tasks
    if args.rebuild or args.smoke:
        for old in folder.glob(f"{path.name}*"):
            old.unlink()
    fresh = not path.exists()
    from webapp.engine import Clock
    from webapp.engine.clock import LOCAL_TZ
    from datetime import datetime, timezone
    clock = Clock()
    clock.offset = datetime(2027, 1, 1, 9, tzinfo=LOCAL_TZ) - datetime.now(timezone.utc)
    config = {"SECRET_KEY": "bench", "CLOCK": clock, "TESTING": True, "WTF_CSRF_ENABLED": False}
    app = create_app({**config, "DATABASE_URL": f"sqlite:///{path}"})
    if fresh:
        started = time.perf_counter()
        build(app, rows)
        print(f"built {path.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")
    else:  # a database cached by an older checkout: bring it to the newest migration, rows kept
        from webapp.db import upgrade_schema
        upgrade_schema(app.extensions["tonghu.sessionmaker"])
    if not args.postgres:
        return measure_all(app, clock, repeat, "SQLite")
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    from tests.pg_cluster import throwaway_cluster
    import pg_copy
    with tempfile.TemporaryDirectory(prefix="tonghu-bench-") as tmp, ExitStack() as stack:
        url = stack.enter_context(throwaway_cluster(Path(tmp)))
        started = time.perf_counter()
        app = create_app({**config, "DATABASE_URL": url})
        result = app.test_cli_runner().invoke(args=["demo-data"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        copied = pg_copy.copy(path, app)
        print(f"copied {sum(copied.values()):,} rows of {path.relative_to(ROOT)} into PostgreSQL "
              f"in {time.perf_counter() - started:.0f} s")
        try:
            return measure_all(app, clock, repeat, "PostgreSQL")
        finally:
            app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def shown_rows(response) -> int:
    """How many entries the page shows: a list measured empty would measure nothing."""
    if response.is_json:
        body = response.get_json()
        return len(body if isinstance(body, list) else body.get("tasks", body.get("entries", [])))
    return len(re.findall(r'<tr (?:data-task=|class="entry-)', response.get_data(as_text=True)))


def measure_all(app, clock, repeat: int, backend: str) -> int:
    """Ask every list `repeat` times through the app; print p50/p95 and the page queries' plans."""
    from datetime import timezone
    make = app.extensions["tonghu.sessionmaker"]
    with make() as s:
        counts = dict(s.execute(text("SELECT state, count(*) FROM human_tasks GROUP BY state")).all())
        overdue = s.scalar(text("SELECT count(*) FROM human_tasks WHERE state = 'open' AND due < :now"),
                           {"now": clock.now() if backend == "PostgreSQL"  # SQLite holds naive UTC text
                            else clock.now().astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")})
        child_id = s.scalar(select(Child.id).where(Child.id == 1001))
    print(f"{backend}: human_tasks: {sum(counts.values()):,} rows, {counts.get('open', 0):,} open, {overdue:,} overdue; "
          f"child {child_id}: {CHILD_ENTRIES:,} file entries")
    clients = {who: login(app, name) for who, name in USERS.items()}
    gc.freeze()  # as the server's workers do once their app is built (webapp/serving.py)
    lists = []
    for who in ("village", "township", "county", "supervisor"):
        lists += [(f"{who} web list", who, "/", "human_tasks"), (f"{who} GET /api/v1/tasks", who, "/api/v1/tasks",
                                                                  "human_tasks")]
    lists += [
        ("county API ?sort=-due", "county", "/api/v1/tasks?sort=-due", "human_tasks"),
        ("county API ?process_id=psych_referral", "county", "/api/v1/tasks?process_id=psych_referral", "human_tasks"),
        ("county API ?show=unclaimed", "county", "/api/v1/tasks?show=unclaimed", "human_tasks"),
        ("county API ?overdue=1", "county", "/api/v1/tasks?overdue=1", "human_tasks"),
        ("county API ?page=20", "county", "/api/v1/tasks?page=20", "human_tasks"),
        ("county web ?overdue=1&sort=-due", "county", "/?overdue=1&sort=-due", "human_tasks"),
        ("county overdue web", "county", "/overdue", "human_tasks"),
        ("county GET /api/v1/overdue", "county", "/api/v1/overdue", "human_tasks"),
        ("supervisor overdue web", "supervisor", "/overdue", "human_tasks"),
        (f"child file web ({CHILD_ENTRIES:,} entries)", "county", f"/children/{child_id}", "case_file_entries"),
    ]
    plans = Plans(make.kw["bind"])
    calls = {}
    for label, who, url, _table in lists:
        web, headers = clients[who]
        calls[label] = (lambda w=web, u=url, h=headers: w.get(u, headers=h)) if url.startswith("/api/") \
            else (lambda w=web, u=url: w.get(u))
    measured = measure_interleaved(calls, repeat)
    print(f"\n{'list':44} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'rows':>5}")
    explained = []
    for label, who, url, table in lists:
        call = calls[label]
        p50, p95, cpu50, cpu95 = measured[label]
        print(f"{label:44} {p50:8.1f} {p95:8.1f} {cpu50:8.1f} {cpu95:8.1f} {shown_rows(call()):5}", flush=True)
        if not label.startswith("child file"):
            record("task_lists", f"{backend} {label}: p95 wall", p95, "ms", "≤ 20", p95 <= 20)
            record("task_lists", f"{backend} {label}: CPU p95", cpu95, "ms")
        else:
            record("task_lists", f"{backend} {label}: first page p95", p95, "ms", "≤ 50", p95 <= 50)
        plans.statements.clear()
        call()
        explained.append((label, plans.explain(make, f"FROM {table}")))
    print(f"\nquery plans ({backend}; the page query of each list):")
    for label, lines in explained:
        print(f"  {label}: " + " | ".join(dict.fromkeys(lines)))
        # a table read whole (SQLite `SCAN t` without an index, PostgreSQL `Seq Scan`) or rows sorted; a
        # SQLite `SCAN anon_1` of a subquery's co-routine reads the rows that subquery yields, itself
        # planned on its own lines (the badges' counts: at most 100 rows, on an index)
        subqueries = {m.group(1) for line in lines if (m := re.match(r"\s*(?:CO-ROUTINE|MATERIALIZE) (\w+)", line))}
        scan = any((m := re.match(r"\s*SCAN (\w+)\s*$", line)) and m.group(1) not in subqueries
                   or "Seq Scan" in line for line in lines)
        sort = any("TEMP B-TREE" in line or "Sort Key" in line for line in lines)
        record("task_lists", f"{backend} {label}: plan", 0 if scan or sort else 1, "index-backed",
               "no scan, no sort", not (scan or sort))
    return 0


if __name__ == "__main__":
    sys.exit(main())
