"""The 18th birthday closes revocation, restoration and psych cases (webapp/services/adulthood.py):
on China's date, whatever the case's version, once, with a file entry and a notice."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import START_DATA
from tests.helpers import resident_id, run_due
from webapp.engine.clock import LOCAL_TZ
from webapp.models import Case, CaseFileEntry, HumanTask, Notification, User
from webapp.services import adulthood, cases, definitions
from webapp.services.forms import load_forms

ROOT = Path(__file__).resolve().parent.parent
BORN = "2009-06-15"  # 18 on 2027-06-15, i.e. from 2027-06-14T16:00Z
REPORT = {"reason": "儿童多次带伤上学", "location": "望月湖社区", "occurred_on": "2027-05-30", "child_in_danger": True,
          "reporter": {"name": "张老师", "organisation": "望月湖小学", "reporter_type": "school", "phone": "13800000000"}}


def child(name, sequence, born=BORN):
    return {"name": name, "id_number": resident_id("430104", born, sequence), "birth_date": born, "gender": "male"}


def start(app, username, process_id, data) -> int:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        case_id = cases.start_case(s, engine, process_id, "430104001001", data, user, engine.clock.now()).id
        s.commit()
    return case_id


def at(clock, moment: datetime):
    clock.offset = moment - datetime.now(timezone.utc)


@pytest.fixture
def started(app, clock):
    at(clock, datetime(2027, 6, 1, 9, tzinfo=LOCAL_TZ))
    psych = start(app, "village.430104001001", "psych_referral",
                  {"child": child("小峰", 1), "monitoring_source": "quarterly_visit", "reason": "情绪低落"})
    # a new version of psych_referral after the case started: the case stays on version 1
    xml = (ROOT / "processes/psych_referral.bpmn").read_text(encoding="utf-8").replace(
        'name="心理健康转介"', 'name="心理健康转介（新版）"', 1)
    with app.extensions["tonghu.sessionmaker"]() as s:
        files = {"psych_referral.bpmn": xml,
                 "psych_risk_level.dmn": (ROOT / "processes/psych_risk_level.dmn").read_text(encoding="utf-8")}
        assert [d.version for d in definitions.deploy(s, files, load_forms(ROOT / "forms"), clock.now())] == [2]
        s.commit()
    revocation = start(app, "education.430104000000", "guardianship_revocation", {**REPORT, "child": child("小军", 3)})
    younger = start(app, "education.430104000000", "guardianship_revocation",
                    {**REPORT, "child": child("小弟", 5, "2009-06-16")})
    entrustment = start(app, "village.430104001001", "entrustment_care", {**START_DATA, "child": child("小华", 7)})
    return {"psych": psych, "revocation": revocation, "younger": younger, "entrustment": entrustment}


def statuses(app, ids) -> dict:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return {name: s.get(Case, case_id).status for name, case_id in ids.items()}


def test_cases_close_on_the_birthday_in_china_whatever_their_version(app, clock, started):
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.get(Case, started["psych"]).definition.version == 1
    at(clock, datetime(2027, 6, 14, 15, 59, tzinfo=timezone.utc))  # 23:59 on the 14th in Beijing
    assert run_due(app)["adulthood_closures"] == 0
    assert set(statuses(app, started).values()) == {"running"}

    at(clock, datetime(2027, 6, 14, 16, 1, tzinfo=timezone.utc))  # 00:01 on the 15th in Beijing
    assert run_due(app)["adulthood_closures"] == 2
    assert statuses(app, started) == {"psych": "cancelled", "revocation": "cancelled", "younger": "running",
                                      "entrustment": "running"}  # the agreement ends by its own due date
    with app.extensions["tonghu.sessionmaker"]() as s:
        for name, outcome, department in (("psych", "移交成年人精神卫生服务", "health"),
                                          ("revocation", "撤销监护人资格程序结案", "civil_affairs")):
            case = s.get(Case, started[name])
            assert not s.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open")).all()
            [entry] = s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case.id,
                                                            CaseFileEntry.title.startswith("儿童年满十八周岁"))).all()
            assert outcome in entry.title and entry.data["adulthood_date"] == "2027-06-15"
            [notice] = s.scalars(select(Notification).where(Notification.case_id == case.id,
                                                            Notification.kind == "notice")).all()
            assert (notice.department, notice.office_region) == (department, "430104000000")

    assert run_due(app)["adulthood_closures"] == 0  # idempotent: nothing closed twice
    at(clock, datetime(2027, 6, 16, 9, tzinfo=LOCAL_TZ))
    assert run_due(app)["adulthood_closures"] == 1 and statuses(app, started)["younger"] == "cancelled"
    with app.extensions["tonghu.sessionmaker"]() as s:
        entries = s.scalars(select(CaseFileEntry).where(CaseFileEntry.title.startswith("儿童年满十八周岁"))).all()
        assert len(entries) == 3


def test_a_birthday_missed_while_the_scheduler_was_down_is_caught_up(app, clock, started):
    at(clock, datetime(2027, 9, 1, 9, tzinfo=LOCAL_TZ))
    assert run_due(app)["adulthood_closures"] == 3


@pytest.mark.parametrize("today, latest_birth", [("2027-06-15", "2009-06-15"), ("2028-02-29", "2010-02-28"),
                                                 ("2026-03-01", "2008-03-01")])
def test_the_birth_date_bound_agrees_with_the_birthday(today, latest_birth):
    from datetime import date
    from webapp.services.resettlement import adulthood_date
    bound = date.fromisoformat(latest_birth)
    assert adulthood.eighteen_years_before(date.fromisoformat(today)) == bound
    assert adulthood_date(bound) <= date.fromisoformat(today)
