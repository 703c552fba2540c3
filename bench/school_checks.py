#!/usr/bin/env python3
"""Benchmark: opening the school's yearly mental-health checks for a province (issue 15.9, shanghai （十二）).

Builds bench/roster.py's database (the demo organisation and N registered children over 1 000
synthetic villages), gives every synthetic township a school and every child under 18 that school
(`Child.school_unit_id`), then, on 1 September 2027:

1. opens the school year's checks (`school_checks.open_school_checks`, the scheduler's job: one
   INSERT … SELECT) and times it; runs it again the same day (every scheduler run: nothing to do)
   and the next day (the daily sweep: nothing twice, the school moves and the 18-year rule);
2. times one school's list (`checks_page`, first page) and, after 95 % are recorded, the overdue
   watch on 1 November.

It replaced one `psych_referral` case per pupil and year (a workflow JSON, task rows, a file entry each),
which at a million children was hours of scheduler work in runs of 500.

    .venv/bin/python bench/school_checks.py                       # 20 000 children, SQLite
    .venv/bin/python bench/school_checks.py --children 1000000    # the real run
    .venv/bin/python bench/school_checks.py --children 1000000 --postgres --no-sqlite
    .venv/bin/python bench/school_checks.py --smoke               # tiny: it must run, not be fast
"""
import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from roster import at, build, timed_job  # noqa: E402
from tests.pg_cluster import throwaway_cluster  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.engine import Clock  # noqa: E402
from webapp.models import SchoolCheck, User  # noqa: E402
from webapp.services import school_checks  # noqa: E402


def give_schools(app) -> int:
    """A school per township (serving it), every registered child at their township's school."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        s.execute(text("INSERT INTO units (code, name, department_code, region_code, serves, active) "
                       "SELECT 'school-' || code, name || '中心小学', 'education', code, substr(code, 1, 9), :yes "
                       "FROM regions WHERE level = 'township' AND code NOT IN (SELECT region_code FROM units "
                       "WHERE department_code = 'education')"), {"yes": True})
        s.execute(text("UPDATE children SET school_unit_id = (SELECT id FROM units WHERE code = 'school-' || "
                       "substr(children.region_code, 1, 9) || '000') WHERE id >= 100000"))
        s.execute(text("ANALYZE"))
        s.commit()
        return s.scalar(text("SELECT count(*) FROM children WHERE school_unit_id IS NOT NULL"))


def run(label: str, url: str, n: int, postgres: bool) -> None:
    clock = Clock()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CLOCK": clock, "TESTING": True})
    make = app.extensions["tonghu.sessionmaker"]
    started = time.perf_counter()
    build(app, n, postgres)
    pupils = give_schools(app)
    print(f"\n== {label}: {n:,} registered children ({pupils:,} with a school), built in "
          f"{time.perf_counter() - started:.0f} s")
    at(app, date(2027, 9, 1))
    opened, seconds = timed_job(app, school_checks.open_school_checks)
    print(f"open the 2027—2028 school year's checks          {opened:>10,} checks {seconds:8.1f} s")
    again, seconds = timed_job(app, school_checks.open_school_checks)
    print(f"the same day again (every scheduler run)         {again:>10,} checks {seconds * 1000:8.1f} ms")
    at(app, date(2027, 9, 2))
    again, seconds = timed_job(app, school_checks.open_school_checks)
    print(f"the next day's sweep (nothing twice, moves, 18)  {again:>10,} checks {seconds:8.1f} s")
    with make() as s:
        school = s.scalar(select(SchoolCheck.unit_id).group_by(SchoolCheck.unit_id)
                          .order_by(func.count().desc()).limit(1))
        official = User(username="bench.school", display_name="学校心理老师", role="official", unit_id=school,
                        password_hash="x", created_at=datetime(2027, 1, 1, tzinfo=timezone.utc))
        s.add(official)
        s.commit()
        started = time.perf_counter()
        page = school_checks.checks_page(s, official, clock.now(), per_page=50)
        print(f"one school's list, first page of {page.total:,}        {len(page.items):>10,} rows   "
              f"{(time.perf_counter() - started) * 1000:8.1f} ms")
        s.execute(update(SchoolCheck).where(SchoolCheck.child_id % 20 != 0).values(
            state="completed", completed_at=datetime(2027, 10, 1, tzinfo=timezone.utc)))
        s.commit()
    at(app, date(2027, 11, 1))
    escalated, seconds = timed_job(app, school_checks.escalate_school_checks)
    print(f"overdue watch: the 5 % left, escalated           {escalated:>10,} checks {seconds:8.1f} s")
    make.kw["bind"].dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=20_000, help="registered children (default 20 000)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL cluster")
    parser.add_argument("--no-sqlite", action="store_true", help="with --postgres: PostgreSQL only")
    parser.add_argument("--smoke", action="store_true", help="2 000 children: does it run")
    args = parser.parse_args(argv)
    n = 2_000 if args.smoke else args.children
    with tempfile.TemporaryDirectory(prefix="tonghu-school-") as folder, ExitStack() as stack:
        if not (args.no_sqlite and args.postgres):
            run("SQLite", f"sqlite:///{Path(folder) / 'school.sqlite'}", n, postgres=False)
        if args.postgres:
            (Path(folder) / "pg").mkdir()
            run("PostgreSQL", stack.enter_context(throwaway_cluster(Path(folder) / "pg")), n, postgres=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
