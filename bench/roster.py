#!/usr/bin/env python3
"""Benchmark: the child director's roster at a million registered children (issue 15.9).

Builds a database with the demo organisation and N registered children (default 20 000;
`--children 1000000` for the real run) spread over the demo villages and 1 000 synthetic
villages (10 counties × 10 townships × 10 villages), every child with a category and a
colour grade (70 % green, 15 % yellow, 10 % orange, 5 % red), then:

1. opens one month's roster (`roster.open_roster`, the scheduler's job: the set-based
   INSERT … SELECT per grade's cadence) on 2027-03-01 and times it; runs it again the same
   day (the every-minute case: nothing to do); records 95 % of March's tasks as done, opens
   April and times it (the second month must be as fast as the first); times the overdue
   watch of the 5 % left;
2. asks, through the app as the demo users of county 430104, for p50/p95 of the child
   director's, the township's and the county's roster (API and the village's web page), the
   child search (plain SQL on `children`: name prefix and ID-number prefix within the county:
   `ix_children_name` reads the name prefix as a range) and a child's file (`GET /api/v1/children/{id}`, 1 000 entries).

    .venv/bin/python bench/roster.py                          # 20 000 children, SQLite
    .venv/bin/python bench/roster.py --children 1000000       # the real run (SQLite)
    .venv/bin/python bench/roster.py --children 1000000 --postgres   # the same on a throwaway PostgreSQL
    .venv/bin/python bench/roster.py --smoke                  # tiny, for CI: it must run, not be fast
    .venv/bin/python bench/roster.py --children 1000000 --db /tmp/roster.sqlite --plans
        # keep the SQLite database (a second run reuses it: lists only) and print, for one request
        # of each list, every statement's time and its EXPLAIN QUERY PLAN
"""
import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import event, func, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _timing import measure  # noqa: E402
from task_lists import login  # noqa: E402
from tests.pg_cluster import throwaway_cluster  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.engine import Clock  # noqa: E402
from webapp.engine.clock import LOCAL_TZ  # noqa: E402
from webapp.models import child_categories, name_grams  # noqa: E402
from webapp.models import Case, CaseFileEntry, Child, ProcessDefinition, RosterTask  # noqa: E402
from webapp.services import roster  # noqa: E402

COUNTY = "430104"
VILLAGE = f"{COUNTY}001001"
USERS = {"village": f"village.{VILLAGE}", "township": f"township.{COUNTY}001000",
         "county": f"civil_affairs.{COUNTY}000000"}
CATEGORIES = ["left_behind", "orphan", "de_facto_unsupported", "disabled", "seriously_ill", "low_income_family",
              "guardianship_lacking", "migrant"]
GRADES = ["green"] * 14 + ["yellow"] * 3 + ["orange"] * 2 + ["red"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "明华红军英芳玲丽强磊洋勇艳杰涛超秀兰霞平刚桂"
FILE_ENTRIES = 1_000


def villages_and_regions() -> tuple[list[str], list[tuple]]:
    regions, villages = [], [f"{COUNTY}001001", f"{COUNTY}001002", f"{COUNTY}002001"]
    for county in [f"4301{n:02d}" for n in range(4, 14)]:
        if county != COUNTY:
            regions.append((f"{county}000000", f"县{county}", "county", "430100000000"))
        for t in range(1, 11):
            township = f"{county}{t:03d}000"
            regions.append((township, f"乡镇{county}{t:03d}", "township", f"{county}000000"))
            for v in range(1, 11):
                code = f"{county}{t:03d}{v:03d}"
                regions.append((code, f"村{county}{t:03d}{v:03d}", "village", township))
                if code not in villages:
                    villages.append(code)
    return villages, regions


def child_rows(n: int, villages: list[str], created: str):
    rnd = random.Random(15)
    for i in range(1, n + 1):
        village = villages[i % len(villages)]
        birth = date(2009, 6, 1) + timedelta(days=rnd.randrange(15 * 365))
        categories = '["%s"]' % CATEGORIES[i % len(CATEGORIES)]
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 20) % len(GIVEN)] + GIVEN[(i // 500) % len(GIVEN)]
        # Unique and shaped like one (region, birth year, then a serial where the date and sequence would be).
        yield (100_000 + i, f"{village[:6]}{birth:%Y}{i:07d}{i % 10}",
               name, birth.isoformat(), "female" if i % 2 else "male", village, categories, GRADES[i % len(GRADES)],
               created)


COLUMNS = "id, id_number, name, birth_date, gender, region_code, categories, risk_grade, created_at"


def build(app, n: int, postgres: bool) -> None:
    result = app.test_cli_runner().invoke(args=["demo-data"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    villages, regions = villages_and_regions()
    make = app.extensions["tonghu.sessionmaker"]
    with make() as s:
        known = set(s.scalars(text("SELECT code FROM regions")))
        s.execute(text("INSERT INTO regions (code, name, level, parent_code) VALUES (:c, :n, :l, :p)"),
                  [{"c": c, "n": nm, "l": lv, "p": p} for c, nm, lv, p in regions if c not in known])
        s.commit()
        raw = s.connection().connection.driver_connection
        created = "2026-12-01 00:00:00+00:00" if postgres else "2026-12-01 00:00:00.000000"
        rows = child_rows(n, villages, created)
        if postgres:
            with raw.cursor() as cursor, cursor.copy(f"COPY children ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            raw.executemany(f"INSERT INTO children ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        raw.commit()
        s.execute(text(name_grams.refill_sql()), {"first": 100_000})  # the bulk load bypassed the ORM's upkeep
        for code in child_categories.CODES:
            s.execute(text(child_categories.refill_sql(code)), {"first": 100_000, "last": 100_001 + n})
        s.commit()
        first = s.scalar(select(func.min(Child.id)).where(Child.region_code == VILLAGE, Child.id >= 100_000))
        # One case, so that today's rule (a file is read through a case the office may see) lets the county in.
        definition = s.scalar(select(ProcessDefinition.id).where(ProcessDefinition.process_id == "entrustment_care"))
        s.add(Case(definition_id=definition, child_id=first, region_code=VILLAGE, status="running", workflow_json="{}",
                   started_at=datetime(2025, 1, 1, tzinfo=timezone.utc)))
        s.flush()
        s.execute(CaseFileEntry.__table__.insert(), [
            {"child_id": first, "case_id": None, "kind": "visit", "title": f"儿童主任联系 {k}", "data": {"note": "ok"},
             "created_at": datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(hours=k)} for k in range(FILE_ENTRIES)])
        s.commit()
        s.execute(text("ANALYZE"))
        s.commit()


def at(app, day: date):
    app.extensions["tonghu.engine"].clock.travel_to(datetime.combine(day, datetime.min.time().replace(hour=1), LOCAL_TZ))


def timed_job(app, job) -> tuple[int, float]:
    """(rows, wall seconds); the CPU seconds (this process's: the app and, for SQLite, the database
    engine) are printed too, since on a shared machine the wall time is mostly waiting for a core."""
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        started, used = time.perf_counter(), time.process_time()
        count = job(s, engine, engine.clock.now())
        s.commit()
        print(f"    ({job.__name__}: CPU {time.process_time() - used:.1f} s)")
        return count, time.perf_counter() - started


def run(label: str, url: str, n: int, repeat: int, postgres: bool, reuse: bool = False, plans: bool = False) -> None:
    clock = Clock()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CLOCK": clock, "TESTING": True,
                      "WTF_CSRF_ENABLED": False})
    make = app.extensions["tonghu.sessionmaker"]
    if reuse:
        app.test_cli_runner().invoke(args=["db", "upgrade"])
        with make() as s:
            n = s.scalar(select(func.count()).select_from(Child))
        print(f"\n== {label}: {n:,} registered children, the database kept by an earlier run")
        at(app, date(2027, 4, 1))
    else:
        started = time.perf_counter()
        build(app, n, postgres)
        print(f"\n== {label}: {n:,} registered children, built in {time.perf_counter() - started:.0f} s")
        open_months(app)
    measure_lists(app, repeat, plans)
    make.kw["bind"].dispose()


def open_months(app) -> None:
    make = app.extensions["tonghu.sessionmaker"]
    at(app, date(2027, 3, 1))
    opened, seconds = timed_job(app, roster.open_roster)
    print(f"open March (contacts and the quarter's visits)   {opened:>10,} tasks {seconds:8.1f} s")
    again, seconds = timed_job(app, roster.open_roster)
    print(f"the same day again (every scheduler run)         {again:>10,} tasks {seconds * 1000:8.1f} ms")
    with make() as s:  # the child directors did 95 % of March's work
        s.execute(update(RosterTask).where(RosterTask.state == "open", RosterTask.child_id % 20 != 0).values(
            state="completed", completed_at=datetime(2027, 3, 20, tzinfo=timezone.utc)))
        s.commit()
    at(app, date(2027, 4, 1))
    opened, seconds = timed_job(app, roster.open_roster)
    print(f"open April (the second month)                    {opened:>10,} tasks {seconds:8.1f} s")
    escalated, seconds = timed_job(app, roster.escalate_roster)
    print(f"overdue watch: March's 5 % left, escalated       {escalated:>10,} tasks {seconds:8.1f} s")
    bind = make.kw["bind"]
    if bind.dialect.name == "postgresql":
        # What autovacuum does after millions of inserted and updated rows, here before the lists rather than
        # whenever its turn comes: statistics taken before the months were opened plan the county's overdue
        # count as a sequential scan (108 ms at 100 000 children), and a child's file count too (statistics
        # of its 1 000 entries, not of the 100 000 the months added); the visibility map lets index-only
        # scans skip the heap.
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE roster_tasks, case_file_entries")


def measure_lists(app, repeat: int, plans: bool) -> None:
    make = app.extensions["tonghu.sessionmaker"]
    clients = {who: login(app, name) for who, name in USERS.items()}
    with make() as s:
        child_id = s.scalar(select(func.min(Child.id)).where(Child.region_code == VILLAGE, Child.id >= 100_000))
        open_rows = s.scalar(select(func.count()).select_from(RosterTask).where(RosterTask.state == "open"))
        total = s.scalar(select(func.count()).select_from(RosterTask))
    print(f"roster_tasks: {total:,} rows, {open_rows:,} open")
    lists = [("village GET /api/v1/roster", "village", "/api/v1/roster"),
             ("village web /roster", "village", "/roster"),
             ("village GET /api/v1/roster?overdue=1", "village", "/api/v1/roster?overdue=1"),
             ("township GET /api/v1/roster", "township", "/api/v1/roster"),
             ("township web /roster", "township", "/roster"),
             ("county GET /api/v1/roster", "county", "/api/v1/roster"),
             ("county web /roster", "county", "/roster"),
             ("county GET /api/v1/roster?overdue=1", "county", "/api/v1/roster?overdue=1"),
             ("county GET /api/v1/roster?page=20", "county", "/api/v1/roster?page=20"),
             (f"child's file GET /api/v1/children/{{id}} ({FILE_ENTRIES:,} entries)", "county",
              f"/api/v1/children/{child_id}"),
             ("child's file web /children/{id}", "county", f"/children/{child_id}"),
             ("child search: county, no query", "county", "/api/v1/children"),
             ("child search: county, one character ?q=明", "county", "/api/v1/children?q=%E6%98%8E"),
             ("child search: county, inside the name ?q=明华", "county", "/api/v1/children?q=%E6%98%8E%E5%8D%8E"),
             ("child search: county, ?q=王明华", "county", "/api/v1/children?q=%E7%8E%8B%E6%98%8E%E5%8D%8E"),
             ("child search: county, no match ?q=欧阳", "county", "/api/v1/children?q=%E6%AC%A7%E9%98%B3"),
             ("child search: county web ?q=明华", "county", "/children?q=%E6%98%8E%E5%8D%8E"),
             ("child search: village ?q=明", "village", "/api/v1/children?q=%E6%98%8E"),
             ("child search: county ?category=orphan", "county", "/api/v1/children?category=orphan"),
             ("child search: county ?risk=red", "county", "/api/v1/children?risk=red"),
             ("child search: ID-number prefix ?q=4301042015", "county", "/api/v1/children?q=4301042015")]
    print(f"\n{'list':58} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    tracer = Tracer(make.kw["bind"]) if plans else None
    for name, who, path in lists:
        web, headers = clients[who]
        call = (lambda p=path, h=headers: web.get(p, headers=h)) if path.startswith("/api/") else (lambda p=path: web.get(p))
        p50, p95, cpu50, cpu95 = measure(call, repeat)  # wall time, then this process's CPU time
        print(f"{name:58} {p50:8.1f} {p95:8.1f} {cpu50:8.1f} {cpu95:8.1f}", flush=True)
        if tracer is not None:
            tracer.show(make, call)


class Tracer:
    """Every statement of one request: its time, and the plan of those over a millisecond."""

    def __init__(self, engine):
        self.statements, self.on = [], False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.statements.append(((time.perf_counter() - conn.info["bench_started"]) * 1000, statement, parameters))

    def show(self, make, call) -> None:
        self.statements, self.on = [], True
        call()
        self.on = False
        seen = list(self.statements)
        print(f"    {len(seen)} statements, {sum(s[0] for s in seen):.1f} ms in the database")
        with make() as s:
            raw = s.connection().connection.driver_connection
            postgres = s.get_bind().dialect.name == "postgresql"
            for ms, statement, params in seen:
                if ms < 1 or not statement.lstrip().upper().startswith("SELECT"):
                    continue
                print(f"    {ms:6.1f} ms  {' '.join(statement.split())[:160]}")
                if postgres:
                    plan = [row[0] for row in raw.execute("EXPLAIN ANALYZE " + statement, params).fetchall()]
                else:
                    plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()]
                for line in plan:
                    print(f"              {line}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=20_000, help="registered children (default 20 000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per list (default 30)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL cluster")
    parser.add_argument("--no-sqlite", action="store_true", help="with --postgres: PostgreSQL only")
    parser.add_argument("--smoke", action="store_true", help="2 000 children, 3 requests: does it run")
    parser.add_argument("--db", help="SQLite file to keep (and to reuse when it exists: lists only)")
    parser.add_argument("--plans", action="store_true", help="each list's statements, their times and plans")
    args = parser.parse_args(argv)
    n, repeat = (2_000, 3) if args.smoke else (args.children, args.repeat)
    with tempfile.TemporaryDirectory(prefix="tonghu-roster-") as folder, ExitStack() as stack:
        if not (args.no_sqlite and args.postgres):
            path = Path(args.db) if args.db else Path(folder) / "roster.sqlite"
            run("SQLite", f"sqlite:///{path}", n, repeat, postgres=False, reuse=path.exists(), plans=args.plans)
        if args.postgres:
            (Path(folder) / "pg").mkdir()
            url = stack.enter_context(throwaway_cluster(Path(folder) / "pg"))
            run("PostgreSQL", url, n, repeat, postgres=True, plans=args.plans)
    return 0


if __name__ == "__main__":
    sys.exit(main())
