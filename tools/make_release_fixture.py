"""Make tests/fixtures/release-0.1.sqlite: a database as release 0.1 left it, with running cases.

Release 0.1 made its schema with `create_all` and had no migrations, so this script does the
same (run once, at the baseline; the file is committed, and the upgrade test migrates a copy
of it). It holds the demo organisation, processes/ deployed, and running cases of every
procedure, each stopped half-way: entrustment care (one in the guardianship-assessment call
activity, one admitted with monitoring visits opened), guardianship revocation (one early,
one finished with the restoration procedure it opened), psych referral, orphan resettlement.

    .venv/bin/python tools/make_release_fixture.py [PATH]
"""
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from tests import case_driver  # noqa: E402
from webapp import create_app, demo  # noqa: E402
from webapp.engine import Clock  # noqa: E402
from webapp.engine.clock import LOCAL_TZ  # noqa: E402
from webapp.models import Base, Case, HumanTask, User  # noqa: E402
from webapp.services import accounts, cases, organisation  # noqa: E402
from webapp.services.definitions import deploy  # noqa: E402
from webapp.services.forms import load_forms  # noqa: E402
from webapp.services.scheduler import run_due_work  # noqa: E402

START = datetime(2026, 11, 20, 9, 0, tzinfo=LOCAL_TZ)


def child(name, number, born, gender="male"):
    return {"name": name, "id_number": number, "birth_date": born, "gender": gender}


def open_task_is(name):
    return lambda session, case_id: any(t.name == name for t in case_driver.open_tasks(session, case_id))


def main(path: Path) -> None:
    path.unlink(missing_ok=True)
    clock = Clock(START - datetime.now(timezone.utc))
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "fixture", "CLOCK": clock})
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    Base.metadata.create_all(make.kw["bind"])  # what release 0.1 did (no alembic_version)
    one_hash = accounts.hash_password(demo.DEMO_PASSWORD)  # same password, hashed once: a smaller, faster file
    organisation.hash_password = lambda _password: one_hash
    with make() as s:
        demo.load(s, clock.now())
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "processes").iterdir())
                 if p.suffix in (".bpmn", ".dmn")}
        deploy(s, files, load_forms(ROOT / "forms"), clock.now(), note="release 0.1")
        s.commit()

    def start(process_id, region, username, data):
        with make() as s:
            user = s.scalars(select(User).where(User.username == username)).one()
            case_id = cases.start_case(s, engine, process_id, region, data, user, clock.now()).id
            s.commit()
        return case_id

    left_behind = {"category": "left_behind", "reason": "父母外出务工，祖母年迈多病", "discovered_by": "monthly_contact"}
    first = start("entrustment_care", "430104001001", "village.430104001001",
                  {**left_behind, "child": child("甲", "430104201501010011", "2015-01-01")})
    case_driver.drive_to_end(make, engine, first, until=open_task_is("assess_capacity"))
    admitted = start("entrustment_care", "430104001001", "village.430104001001",
                     {**left_behind, "child": child("乙", "430104201402020022", "2014-02-02", "female")})
    case_driver.drive_to_end(make, engine, admitted, until=open_task_is("terminate_agreement"))
    report = {"reason": "儿童多次带伤上学", "location": "望月湖社区 12 栋", "occurred_on": "2026-11-19",
              "child_in_danger": True,
              "reporter": {"name": "张老师", "organisation": "望月湖小学", "reporter_type": "school", "phone": "13800000000"}}
    early = start("guardianship_revocation", "430104001001", "education.430104000000",
                  {**report, "child": child("丙", "430104201601010033", "2016-01-01")})
    case_driver.drive_to_end(make, engine, early, max_steps=2)
    revoked = start("guardianship_revocation", "430104002001", "education.430104000000",
                    {**report, "child": child("丁", "430104201701010044", "2017-01-01")})
    case_driver.drive_to_end(make, engine, revoked)
    start("psych_referral", "430104001001", "village.430104001001",
                  {"child": child("戊", "430104201201010055", "2012-01-01"), "monitoring_source": "monthly_contact",
                   "reason": "月度联系"})
    start("orphan_resettlement", "310104001001", "welfare_institution.310100000000",
          {"child": child("己", "310104200905200066", "2009-05-20", "female"), "basis": "institution_orphan",
           "reason": "年满十八周岁前六个月启动安置"})
    clock.advance(timedelta(days=200))  # the admitted child's first six-monthly visit opens
    with make() as s:
        run_due_work(s, engine, clock.now())
        s.commit()
        running = s.execute(select(func.count(), Case.definition_id).where(Case.status == "running")
                            .group_by(Case.definition_id)).all()
        print(f"cases running per definition: {running}; open tasks:",
              s.scalar(select(func.count()).select_from(HumanTask).where(HumanTask.state == "open")))
    with make.kw["bind"].connect() as conn:
        conn.execute(text("PRAGMA journal_mode=DELETE"))
        conn.execute(text("VACUUM"))
    make.kw["bind"].dispose()
    print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "release-0.1.sqlite")
