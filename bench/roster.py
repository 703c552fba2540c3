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
"""
import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _timing import measure, p50_p95, timed  # noqa: E402
from task_lists import login  # noqa: E402
from tests.pg_cluster import throwaway_cluster  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.engine import Clock  # noqa: E402
from webapp.engine.clock import LOCAL_TZ  # noqa: E402
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
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        started = time.perf_counter()
        count = job(s, engine, engine.clock.now())
        s.commit()
        return count, time.perf_counter() - started


def run(label: str, url: str, n: int, repeat: int, postgres: bool) -> None:
    clock = Clock()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CLOCK": clock, "TESTING": True,
                      "WTF_CSRF_ENABLED": False})
    started = time.perf_counter()
    build(app, n, postgres)
    print(f"\n== {label}: {n:,} registered children, built in {time.perf_counter() - started:.0f} s")
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
             ("county GET /api/v1/roster", "county", "/api/v1/roster"),
             ("county GET /api/v1/roster?overdue=1", "county", "/api/v1/roster?overdue=1"),
             ("county GET /api/v1/roster?page=20", "county", "/api/v1/roster?page=20"),
             (f"child's file GET /api/v1/children/{{id}} ({FILE_ENTRIES:,} entries)", "county",
              f"/api/v1/children/{child_id}")]
    print(f"\n{'list':58} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    for name, who, path in lists:
        web, headers = clients[who]
        call = (lambda p=path, h=headers: web.get(p, headers=h)) if path.startswith("/api/") else (lambda p=path: web.get(p))
        p50, p95, cpu50, cpu95 = measure(call, repeat)  # wall time, then this process's CPU time
        print(f"{name:58} {p50:8.1f} {p95:8.1f} {cpu50:8.1f} {cpu95:8.1f}", flush=True)
    for name, (p50, p95) in search_timings(make, repeat).items():
        print(f"{name:58} {p50:8.1f} {p95:8.1f}", flush=True)
    make.kw["bind"].dispose()


def search_timings(make, repeat: int) -> dict:
    """The child search as plain SQL (the registry builds the UI): a county's children by name or ID prefix."""
    low, high = COUNTY.ljust(12, "0"), COUNTY.ljust(12, "9")
    queries = {
        "child search: name prefix in the county (SQL)": (
            select(Child.id, Child.name, Child.region_code).where(
                Child.name >= "王明", Child.name < "王明\uffff", Child.region_code.between(low, high))
            .order_by(Child.name, Child.id).limit(20)),
        "child search: ID-number prefix (SQL)": (
            select(Child.id, Child.name, Child.region_code).where(
                Child.id_number >= "4301042015", Child.id_number < "4301042016").order_by(Child.id_number).limit(20)),
    }
    timings = {}
    with make() as s:
        for name, query in queries.items():
            wall, _cpu, _rows = timed(lambda q=query: s.execute(q).all(), repeat)
            timings[name] = p50_p95(wall)
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=20_000, help="registered children (default 20 000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per list (default 30)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL cluster")
    parser.add_argument("--no-sqlite", action="store_true", help="with --postgres: PostgreSQL only")
    parser.add_argument("--smoke", action="store_true", help="2 000 children, 3 requests: does it run")
    args = parser.parse_args(argv)
    n, repeat = (2_000, 3) if args.smoke else (args.children, args.repeat)
    with tempfile.TemporaryDirectory(prefix="tonghu-roster-") as folder, ExitStack() as stack:
        if not (args.no_sqlite and args.postgres):
            run("SQLite", f"sqlite:///{folder}/roster.sqlite", n, repeat, postgres=False)
        if args.postgres:
            (Path(folder) / "pg").mkdir()
            url = stack.enter_context(throwaway_cluster(Path(folder) / "pg"))
            run("PostgreSQL", url, n, repeat, postgres=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
