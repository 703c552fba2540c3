"""The school's yearly mental-health check (shanghai （十二）) as light tasks: opened in bulk per school year,
held by the child's school, recorded by it; a concern starts psych_referral with the record as its first step.

Pupils are registered through the registry's service and their school set as county civil affairs sets it
(`units.change_school`); checks are opened by the scheduler's run, as the worker does, and read and recorded
through the API and the web pages.
"""
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.helpers import demo_unit_id, resident_id, run_due
from webapp.engine.clock import LOCAL_TZ, local_date
from webapp.models import Case, CaseFileEntry, Child, HumanTask, Notification, SchoolCheck, Unit, User
from webapp.services import school_checks, units
from webapp.services.registry import children
from webapp.settings import DEFAULTS

COUNTY = "civil_affairs.430104000000"
SCHOOL = "unit.yl-school-wyh"
OTHER_SCHOOL = "unit.yl-school-thl"
BUREAU = "education.430104000000"
TOWNSHIP = "township.430104001000"
NORMAL = {"checked_on": "2027-09-01", "method": "scale", "result": "normal", "observation": "心理健康测评正常"}
CONCERN = {"checked_on": "2027-09-01", "method": "talk", "result": "concern", "signs": ["behaviour"],
           "observation": "近两周上课哭泣，说不想活了"}


def at(clock, day: str, hour: int = 9):
    clock.travel_to(datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=hour), LOCAL_TZ))


def register(app, name, school="yl-school-wyh", region="430104001001", birth="2015-06-01", sequence=1,
             identity=True) -> int:
    """A registered child (by county civil affairs), at `school` (None: no school)."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        now = app.extensions["tonghu.engine"].clock.now()
        county = s.scalars(select(User).where(User.username == COUNTY)).one()
        if identity:
            child = children.register(s, county, {
                "id_number": resident_id("430104", birth, sequence * 2), "name": name, "gender": "female",
                "birth_date": birth, "region": region, "categories": ["left_behind"], "risk": "green",
                "risk_reason": "登记时评定"}, now)
        else:  # no ID number (or already 18): a plain row, as an import of old records leaves one
            child = Child(name=name, region_code=region, categories=["left_behind"], created_at=now,
                          birth_date=date.fromisoformat(birth) if birth else None)
            s.add(child)
            s.flush()
        if school:
            units.change_school(s, child, s.get(Unit, demo_unit_id(school)), county, now)
        s.commit()
        return child.id


def checks_of(app, child_id):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return [(c.school_year, c.state, c.unit_id, local_date(c.due).isoformat())
                for c in s.scalars(select(SchoolCheck).where(SchoolCheck.child_id == child_id)
                                   .order_by(SchoolCheck.school_year))]


def check_id(app, child_id) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(SchoolCheck.id).where(SchoolCheck.child_id == child_id, SchoolCheck.state == "open"))


def psych_cases(app, child_id) -> list[Case]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return [c.id for c in s.scalars(select(Case).where(Case.child_id == child_id))
                if c.definition.process_id == "psych_referral"]


@pytest.fixture
def september(app, clock):
    at(clock, "2027-09-01")
    return app


def test_one_check_per_pupil_and_school_year_none_for_adults_schoolless_or_referred(september, clock, api):
    app = september
    wyh = demo_unit_id("yl-school-wyh")
    pupil = register(app, "在校", sequence=1)
    register(app, "无校", school=None, sequence=2)
    adult = register(app, "成年", birth="2009-08-31", identity=False)  # 18 on 31 August 2027
    referred = register(app, "已转介", sequence=4)
    started = api(SCHOOL).post("/processes/psych_referral/instances", {"region": "430104001001", "data": {
        "child": {"name": "已转介", "id_number": resident_id("430104", "2015-06-01", 8), "birth_date": "2015-06-01",
                  "gender": "female"}, "monitoring_source": "school_yearly_check", "reason": "班主任发现情绪低落"}})
    assert started.status_code == 201, started.get_json()
    assert run_due(app)["school_checks"] == 1
    assert checks_of(app, pupil) == [(2027, "open", wyh, "2027-10-31")]
    assert checks_of(app, adult) == [] and checks_of(app, referred) == []
    assert psych_cases(app, pupil) == []  # a light task, not a case
    assert run_due(app)["school_checks"] == 0  # the same day: nothing twice
    late = register(app, "新生", sequence=5)  # registered after the day's sweep: opened on the next run
    assert run_due(app)["school_checks"] == 1 and len(checks_of(app, late)) == 1
    clock.advance(timedelta(days=1))
    assert run_due(app)["school_checks"] == 0  # the next day's sweep: nothing twice
    at(clock, "2027-11-01")
    register(app, "十一月入学", sequence=6)
    assert run_due(app)["school_checks"] == 0  # past the year's due date: next September
    at(clock, "2028-09-01")
    run_due(app)
    assert [c[:2] for c in checks_of(app, pupil)] == [(2027, "open"), (2028, "open")]  # last year's stays overdue
    assert checks_of(app, pupil)[-1] == (2028, "open", wyh, "2028-10-31")


def test_the_deployment_sets_the_due_date():
    engine = SimpleNamespace(settings=DEFAULTS.with_overrides({"school_check": {"lead": "P3M"}}))
    assert local_date(school_checks.due_of(engine, 2027)).isoformat() == "2027-11-30"
    assert local_date(school_checks.due_of(SimpleNamespace(settings=DEFAULTS), 2027)).isoformat() == "2027-10-31"


def test_the_school_records_a_normal_check_once_and_others_may_not(september, api):
    app = september
    pupil = register(app, "正常", sequence=1)
    run_due(app)
    cid = check_id(app, pupil)
    assert [c["child"]["name"] for c in api(SCHOOL).get("/school-checks").get_json()] == ["正常"]
    assert api(OTHER_SCHOOL).get("/school-checks").get_json() == []
    assert api(OTHER_SCHOOL).post(f"/school-checks/{cid}/complete", {"data": NORMAL}).status_code == 403
    assert api("village.430104001001").get("/school-checks").status_code == 403
    bad = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": {**NORMAL, "checked_on": "2027-08-31"}})
    assert bad.status_code == 422 and "2027-09-01" in str(bad.get_json())
    odd = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": {**NORMAL, "signs": ["behaviour"]}})
    assert odd.status_code == 422 and "发现苗头" in str(odd.get_json())
    assert api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": "x"}).status_code == 422
    assert checks_of(app, pupil)[0][1] == "open"  # refusals keep nothing
    done = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": NORMAL})
    assert done.status_code == 200 and done.get_json()["state"] == "completed"
    again = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": NORMAL})
    assert again.status_code == 409 and "已由" in str(again.get_json())
    assert psych_cases(app, pupil) == []
    with app.extensions["tonghu.sessionmaker"]() as s:
        entry = s.scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == pupil,
                                                      CaseFileEntry.title.startswith("学校年度心理健康监测"))).one()
        assert entry.title == "学校年度心理健康监测（2027—2028 学年）：未见异常"
        assert "测评正常" not in str(entry.data)  # the observation is psychological data: not on the shared file
    bureau = api(BUREAU)
    assert [c["state"] for c in bureau.get("/school-checks?state=completed").get_json()] == ["completed"]
    shown = bureau.get(f"/school-checks/{cid}").get_json()
    assert shown["findings"] is None and shown["may_record"] is False  # the observation stays with the school
    assert api(SCHOOL).get(f"/school-checks/{cid}").get_json()["findings"]["observation"] == "心理健康测评正常"


def test_a_concern_starts_the_referral_with_the_record_as_its_first_step(september, clock, api):
    app = september
    pupil = register(app, "苗头", sequence=1)
    run_due(app)
    cid = check_id(app, pupil)
    refused = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": {**CONCERN, "signs": []}})
    assert refused.status_code == 422 and "至少选择一项" in str(refused.get_json())
    done = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": CONCERN})
    assert done.status_code == 200, done.get_json()
    case_id = done.get_json()["started_instance_id"]
    assert psych_cases(app, pupil) == [case_id]
    with app.extensions["tonghu.sessionmaker"]() as s:
        case = s.get(Case, case_id)
        assert case.status == "running" and case.child_id == pupil
        first = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.name == "school_check")).one()
        assert first.state == "completed" and first.data["sign_behaviour"] is True
        assert first.data["observations"] == CONCERN["observation"]
        assert first.completed_by.username == SCHOOL
    assert "screen_psych" in [t["name"] for t in api(TOWNSHIP).get("/tasks").get_json() if t["instance_id"] == case_id]
    at(clock, "2028-09-01")
    run_due(app)
    assert [c[0] for c in checks_of(app, pupil)] == [2027]  # the referral runs: no new check


def test_a_concern_for_a_child_without_identity_keeps_nothing(september, api):
    app = september
    pupil = register(app, "无证", birth=None, identity=False)
    run_due(app)
    cid = check_id(app, pupil)
    refused = api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": CONCERN})
    assert refused.status_code == 422 and "公民身份号码" in str(refused.get_json())
    assert checks_of(app, pupil)[0][1] == "open" and psych_cases(app, pupil) == []


def test_the_check_follows_a_change_of_school_and_ends_at_18(september, clock, api):
    app = september
    mover = register(app, "转学", sequence=1)
    leaver = register(app, "退学", sequence=2)
    turning = register(app, "将成年", birth="2009-10-01", sequence=3)
    run_due(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        county = s.scalars(select(User).where(User.username == COUNTY)).one()
        moved = s.get(Child, mover)
        moved.region_code = "430104002001"  # moved to 桃花岭村, then to its school
        units.change_school(s, moved, s.get(Unit, demo_unit_id("yl-school-thl")), county, clock.now())
        units.change_school(s, s.get(Child, leaver), None, county, clock.now())
        s.commit()
    assert checks_of(app, mover)[0][:3] == (2027, "open", demo_unit_id("yl-school-thl"))
    assert [c["child"]["name"] for c in api(OTHER_SCHOOL).get("/school-checks").get_json()] == ["转学"]
    assert "转学" not in [c["child"]["name"] for c in api(SCHOOL).get("/school-checks").get_json()]
    assert checks_of(app, leaver)[0][1] == "cancelled"
    at(clock, "2027-10-02")
    run_due(app)
    assert checks_of(app, turning)[0][1] == "cancelled"


def test_overdue_checks_go_once_to_the_county_education_bureau(september, clock):
    app = september
    late = register(app, "逾期", sequence=1)
    register(app, "逾期二", sequence=2)
    run_due(app)
    at(clock, "2027-10-31", 23)
    assert run_due(app)["school_check_escalation"] == 0  # due at the end of the day
    at(clock, "2027-11-01")
    assert run_due(app)["school_check_escalation"] == 2
    assert run_due(app)["school_check_escalation"] == 0  # once
    with app.extensions["tonghu.sessionmaker"]() as s:
        notices = s.scalars(select(Notification).where(Notification.kind == "school_overdue")).all()
        assert [(n.department, n.office_region) for n in notices] == [("education", "430104000000")]
        assert "2 名学生" in notices[0].message and "岳麓区望月湖小学 2 名" in notices[0].message
        assert s.scalar(select(func.count()).select_from(CaseFileEntry).where(
            CaseFileEntry.child_id == late, CaseFileEntry.title == "逾期未办：学校年度心理健康监测（2027—2028 学年）")) == 1


def test_the_web_list_and_record_form(september, browser):
    app = september
    pupil = register(app, "网页生", sequence=1)
    run_due(app)
    cid = check_id(app, pupil)
    browser.sign_in(SCHOOL)
    tasks = browser.get("/").get_data(as_text=True)
    assert "本校学生的学校年度心理健康监测待登记：1 项" in tasks and 'href="/school-checks"' in tasks
    page = browser.get("/school-checks").get_data(as_text=True)
    assert "学校心理健康监测" in page and "网页生" in page and "学校年度心理健康监测（2027—2028 学年）" in page
    form = browser.get(f"/school-checks/{cid}").get_data(as_text=True)
    assert "监测结果" in form and "发现的迹象" in form
    bad = browser.post(f"/school-checks/{cid}", {"checked_on": "2027-09-01", "method": "talk", "result": "concern",
                                                 "observation": "上课走神"})
    assert bad.status_code == 422
    kept = bad.get_data(as_text=True)
    assert "上课走神" in kept and "至少选择一项" in kept  # the input kept, the error shown
    done = browser.post(f"/school-checks/{cid}", {**NORMAL})
    assert done.status_code == 302 and checks_of(app, pupil)[0][1] == "completed"
    assert "学校年度心理健康监测待登记" not in browser.get("/").get_data(as_text=True)
    browser.sign_in("police.430104000000")
    assert browser.get("/school-checks").status_code == 403
    assert browser.get(f"/school-checks/{cid}").status_code == 403
