"""The child director's roster (issue 15.4): opened by grade, derived from residence, watched, recorded.

Children are registered through the registry's service (`registry.children.register`); the
roster is opened by the scheduler's run, exactly as the worker does, and read and recorded
through the API and the web pages.
"""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import resident_id, run_due
from webapp.engine.clock import LOCAL_TZ
from webapp.models import AuditEntry, Case, CaseFileEntry, Child, Notification, RegistryChange, RosterTask, User
from webapp.services.registry import children

VILLAGE = "village.430104001001"
OTHER_VILLAGE = "village.430104002001"
TOWNSHIP = "township.430104001000"
COUNTY = "civil_affairs.430104000000"
TOWNSHIP_SUPERVISOR = "supervisor.township.430104001000"
FINDINGS = {"contacted_on": "2027-03-01", "method": "phone", "safety_at_home": "safe", "school_attendance": "regular",
            "guardian_care": "adequate", "notes": "祖母照料尚可，儿童按时上学"}


def at(clock, day: str, hour: int = 9):
    clock.travel_to(datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=hour), LOCAL_TZ))


def register(app, name, region="430104001001", categories=("left_behind",), grade="green", birth="2015-06-01",
             sequence=1, gender="female") -> int:
    """A child registered as county civil affairs registers one (`registry.children.register`); a
    child without an ID number (known only by name, as a mandatory report may name one) is a
    plain row: the registry needs the number."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        now = app.extensions["tonghu.engine"].clock.now()
        if birth is None:
            child = Child(name=name, region_code=region, categories=list(categories), risk_grade=grade,
                          gender=gender, created_at=now)
            s.add(child)
        else:
            county = s.scalars(select(User).where(User.username == COUNTY)).one()
            child = children.register(s, county, {
                "id_number": resident_id("430104", birth, sequence * 2 + (gender == "male")), "name": name,
                "gender": gender, "birth_date": birth, "region": region, "categories": list(categories),
                "risk": grade, "risk_reason": "登记时评定" if grade else None}, now)
        s.commit()
        return child.id


def tasks_of(app, child_id, state=None):
    with app.extensions["tonghu.sessionmaker"]() as s:
        query = select(RosterTask.kind, RosterTask.period, RosterTask.state).where(RosterTask.child_id == child_id)
        if state:
            query = query.where(RosterTask.state == state)
        return sorted(tuple(r) for r in s.execute(query))


def roster_ids(api, username, query=""):
    response = api(username).get(f"/roster{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def march(app, clock):
    at(clock, "2027-03-01")
    return app


def test_cadence_follows_the_risk_grade_and_a_second_run_opens_nothing(march, clock):
    app = march
    green = register(app, "绿绿", grade="green", sequence=1)
    red = register(app, "红红", grade="red", sequence=2)
    ungraded = register(app, "未评", grade=None, sequence=3)
    yellow = register(app, "黄黄", grade="yellow", sequence=4)
    assert run_due(app)["roster"] == 8
    assert tasks_of(app, green) == [("contact", "P1M:2027-03-01", "open"), ("visit", "P3M:2027-01-01", "open")]
    assert tasks_of(app, ungraded) == [("contact", "P1M:2027-03-01", "open"), ("visit", "P3M:2027-01-01", "open")]
    assert tasks_of(app, red) == [("contact", "P1W:2027-03-01", "open"), ("visit", "P1M:2027-03-01", "open")]
    assert tasks_of(app, yellow) == [("contact", "P2W:2027-02-22", "open"), ("visit", "P6W:2027-02-22", "open")]
    assert run_due(app)["roster"] == 0  # the same day: the marker
    clock.advance(timedelta(days=1))
    assert run_due(app)["roster"] == 0  # the next day's sweep: nothing new, nothing twice
    clock.advance(timedelta(days=6))  # Monday 8 March: red's second week
    run_due(app)
    assert ("contact", "P1W:2027-03-08", "open") in tasks_of(app, red)
    assert len(tasks_of(app, green)) == 2
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalar(select(func.count()).select_from(RosterTask).where(RosterTask.child_id == red)) == 3


def test_the_village_sees_its_children_only_and_a_move_needs_nothing(march, api):
    app = march
    here = register(app, "本村", sequence=5)
    there = register(app, "外村", region="430104002001", sequence=6)
    run_due(app)
    mine = roster_ids(api, VILLAGE)
    assert {i["child"]["id"] for i in mine} == {here}
    assert {i["child"]["id"] for i in roster_ids(api, OTHER_VILLAGE)} == {there}
    assert {i["child"]["id"] for i in roster_ids(api, COUNTY)} == {here, there}
    assert {i["child"]["id"] for i in roster_ids(api, TOWNSHIP)} == {here}
    with app.extensions["tonghu.sessionmaker"]() as s:
        s.get(Child, here).region_code = "430104002001"
        s.commit()
    assert roster_ids(api, VILLAGE) == []
    assert {i["child"]["id"] for i in roster_ids(api, OTHER_VILLAGE)} == {here, there}
    # the open tasks moved with the child on that write (not at the next daily sweep): the township's
    # list, read by place, no longer has it; the new township's has it
    assert roster_ids(api, TOWNSHIP) == []
    assert {i["child"]["id"] for i in roster_ids(api, "township.430104002000")} == {here, there}
    task_id = next(i["id"] for i in roster_ids(api, OTHER_VILLAGE) if i["child"]["id"] == here)
    assert api(VILLAGE).post(f"/roster/{task_id}/complete", {"data": FINDINGS}).status_code == 403
    assert api("police.430104000000").get("/roster").status_code == 403


def test_children_leave_the_roster_at_18_and_without_a_category(march, clock, api):
    app = march
    nearly = register(app, "将满十八", birth="2009-03-20", sequence=7)
    none = register(app, "无类别", categories=(), sequence=8)
    run_due(app)
    assert len(tasks_of(app, nearly)) == 2 and tasks_of(app, none) == []
    at(clock, "2027-03-20")
    assert [i for i in roster_ids(api, VILLAGE) if i["child"]["id"] == nearly] == []
    run_due(app)
    assert {state for _k, _p, state in tasks_of(app, nearly)} == {"cancelled"}
    at(clock, "2027-04-01")
    run_due(app)
    assert {state for _k, _p, state in tasks_of(app, nearly)} == {"cancelled"}


def test_overdue_is_escalated_once_to_the_township_supervisor(march, clock):
    app = march
    child = register(app, "逾期娃", grade="red", sequence=9)
    run_due(app)
    at(clock, "2027-03-08")
    assert run_due(app)["roster_escalation"] == 1  # the first week's contact
    assert run_due(app)["roster_escalation"] == 0
    with app.extensions["tonghu.sessionmaker"]() as s:
        notices = s.scalars(select(Notification).where(Notification.kind == "roster_overdue")).all()
        assert [n.recipient.username for n in notices] == [TOWNSHIP_SUPERVISOR]
        assert "逾期娃" in notices[0].message and "1 项" in notices[0].message
        titles = s.scalars(select(CaseFileEntry.title).where(CaseFileEntry.child_id == child)).all()
        assert titles == ["走访名册逾期：儿童主任联系（2027-03-01 至 2027-03-07）"]


def test_recording_a_contact_files_it_on_the_child_and_only_once(march, api, client):
    app = march
    child = register(app, "小记", sequence=10)
    run_due(app)
    task = next(i for i in roster_ids(api, VILLAGE) if i["kind"] == "contact")
    village = api(VILLAGE)
    bad = village.post(f"/roster/{task['id']}/complete", {"data": {**FINDINGS, "safety_at_home": "fine", "notes": " "}})
    assert bad.status_code == 422 and {"safety_at_home", "notes"} <= set(bad.get_json()["errors"])
    assert village.post(f"/roster/{task['id']}/complete", {"data": "x"}).status_code == 422
    for day in ("2027-04-30", "2027-02-28"):  # in the future; before the period
        assert village.post(f"/roster/{task['id']}/complete", {"data": {**FINDINGS, "contacted_on": day}}).status_code == 422
    done = village.post(f"/roster/{task['id']}/complete", {"data": {**FINDINGS, "signs": ["study_pressure"], "risk_grade": "yellow"}})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["state"] == "completed"
    again = village.post(f"/roster/{task['id']}/complete", {"data": FINDINGS})
    assert again.status_code == 409 and "已由" in again.get_json()["error"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        entries = s.scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == child).order_by(CaseFileEntry.id)).all()
        assert [(e.kind, e.case_id) for e in entries] == [("visit", None), ("event", None)]
        assert entries[0].title == "儿童主任联系（2027年3月）" and "学业压力大" in entries[0].data["summary"]
        assert entries[1].title.startswith("风险等级调整：绿色") and s.get(Child, child).risk_grade == "yellow"
        # The registry's history says who re-graded the child and why (registry/grading.py, the one place).
        setting = children.risk_setting(s, s.get(Child, child))
        assert (setting.kind, setting.risk_grade, setting.user.username) == ("roster", "yellow", VILLAGE)
        assert setting.changes == {"risk": ["green", "yellow"]} and setting.office.name == "望月湖社区居民委员会"
        assert setting.reason.startswith("儿童主任联系（2027年3月）评估：") and "学业压力大" in setting.reason
    assert [i["id"] for i in roster_ids(api, VILLAGE, "?state=completed")] == [task["id"]]
    visit = next(i for i in roster_ids(api, VILLAGE) if i["kind"] == "visit")
    by_phone = village.post(f"/roster/{visit['id']}/complete", {"data": FINDINGS})
    assert by_phone.status_code == 422 and "入户" in by_phone.get_json()["errors"]["method"]
    assert api(TOWNSHIP).post(f"/roster/{visit['id']}/complete", {"data": FINDINGS}).status_code == 403
    detail = api(TOWNSHIP).get(f"/roster/{visit['id']}")
    assert detail.status_code == 200 and detail.get_json()["may_record"] is False
    assert api(VILLAGE).get("/roster/99999999").status_code == 404


@pytest.mark.parametrize("procedure, first_task", [
    ("psych_referral", "record_contact"), ("guardianship_revocation", None),
    ("guardianship_assessment", "township_home_investigation"), ("entrustment_care", "township_home_investigation"),
    ("basic_living_support", "township_review")])
def test_a_finding_starts_each_procedure_with_the_child_and_the_finding(march, api, procedure, first_task):
    app = march
    # Five-party entrustment applies to de facto unsupported children and orphans only (hunan §三.1).
    category = "de_facto_unsupported" if procedure == "entrustment_care" else "left_behind"
    child = register(app, "发现娃", categories=(category,), sequence=11)
    run_due(app)
    task = next(i for i in roster_ids(api, VILLAGE) if i["kind"] == "visit")
    findings = {**FINDINGS, "method": "home_visit", "safety_at_home": "danger", "guardian_care": "neglectful",
                "notes": "父亲酗酒后打骂儿童", "follow_up": [procedure], "reporter_phone": "13800000000"}
    response = api(VILLAGE).post(f"/roster/{task['id']}/complete", {"data": findings})
    assert response.status_code == 200, response.get_json()
    kept = response.get_json()["findings"]
    assert "reporter_phone" not in kept  # the reporter of a mandatory report stays confidential
    with app.extensions["tonghu.sessionmaker"]() as s:
        case_id = s.scalar(select(Case.id).where(Case.child_id == child))
        if procedure == "guardianship_revocation":  # not even that a report was made is kept on the roster or file
            assert response.get_json()["started_instance_id"] is None and kept["follow_up"] == []
            entry = s.scalars(select(CaseFileEntry).where(CaseFileEntry.kind == "visit")).one()
            assert "guardianship_revocation" not in str(entry.data) and "13800000000" not in str(entry.data)
        else:
            assert response.get_json()["started_instance_id"] == case_id and kept["follow_up"] == [procedure]
        case = s.get(Case, case_id)
        assert case.child_id == child and case.definition.process_id == procedure and case.status == "running"
        opening = s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id).order_by(CaseFileEntry.id)).first()
        assert "父亲酗酒后打骂儿童" in (opening.data.get("reason") or "")
        if procedure == "basic_living_support":  # the village applies for the family, at the residence (hunan §二.1)
            from webapp.services.cases.story import start_data
            started = start_data(app.extensions["tonghu.engine"], case)
            assert (started["applicant_kind"], started["application_place"]) == ("village", "residence")
            assert started["applied_on"] == findings["contacted_on"] and started["child"]["name"] == "发现娃"
        if first_task:
            from webapp.models import HumanTask
            names = s.scalars(select(HumanTask.name).where(HumanTask.case_id == case_id, HumanTask.state == "open")).all()
            assert any(first_task in n for n in names), names
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case.start")) == 1


def test_a_refused_start_keeps_nothing_of_the_record(march, api):
    app = march
    unknown = register(app, "无证", birth=None, sequence=12)
    run_due(app)
    task = next(i for i in roster_ids(api, VILLAGE) if i["kind"] == "contact" and i["child"]["id"] == unknown)
    refused = api(VILLAGE).post(f"/roster/{task['id']}/complete", {"data": {**FINDINGS, "follow_up": ["psych_referral"]}})
    assert refused.status_code == 422 and "身份" in refused.get_json()["errors"]["follow_up"]
    no_phone = register(app, "无电话", sequence=13)
    run_due(app)
    other = next(i for i in roster_ids(api, VILLAGE) if i["kind"] == "contact" and i["child"]["id"] == no_phone)
    refused = api(VILLAGE).post(f"/roster/{other['id']}/complete",
                                {"data": {**FINDINGS, "follow_up": ["guardianship_revocation"]}})
    assert refused.status_code == 422 and "reporter_phone" in refused.get_json()["errors"]
    assert tasks_of(app, unknown, "completed") == [] and tasks_of(app, no_phone, "completed") == []
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0
        assert s.scalar(select(func.count()).select_from(CaseFileEntry).where(CaseFileEntry.kind == "visit")) == 0


def test_bad_query_arguments_get_a_clear_answer(march, api):
    village = api(VILLAGE)
    for query in ("?state=done", "?period=2027-13", "?kind=call", "?page=0"):
        response = village.get(f"/roster{query}")
        assert response.status_code == 422 and response.get_json()["error"], query
    assert village.get("/roster?period=2027-03").status_code == 200


def test_the_web_roster_and_record_form(march, browser):
    app = march
    register(app, "网页娃", sequence=14)
    run_due(app)
    browser.sign_in(VILLAGE)
    page = browser.get("/roster")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "走访名册" in text and "网页娃" in text and "儿童主任联系（2027年3月）" in text
    with app.extensions["tonghu.sessionmaker"]() as s:
        task_id = s.scalar(select(RosterTask.id).where(RosterTask.kind == "contact"))
    form = browser.get(f"/roster/{task_id}")
    assert "居家安全" in form.get_data(as_text=True)
    bad = browser.post(f"/roster/{task_id}", {"contacted_on": "2027-03-01", "method": "phone", "notes": "电话联系，情况良好"})
    assert bad.status_code == 422
    kept = bad.get_data(as_text=True)
    assert "电话联系，情况良好" in kept and "field-error" in kept  # the input is kept, the errors shown
    done = browser.post(f"/roster/{task_id}", {**FINDINGS, "signs": ["family_change"]})
    assert done.status_code == 302
    assert tasks_of(app, s_child_id(app, "网页娃"), "completed") == [("contact", "P1M:2027-03-01", "completed")]
    browser.sign_in("police.430104000000")
    assert browser.get("/roster").status_code == 403


def s_child_id(app, name):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(Child.id).where(Child.name == name))


def test_a_county_list_counts_up_to_the_cap_and_still_pages_on(march, api, browser, monkeypatch):
    """Beyond COUNT_CAP the total is a lower bound: said so in the header and on the page, and a full
    page still links to the next one (a county's 190 000 open tasks are not counted per page)."""
    app = march
    for n in range(3):
        register(app, f"计数{n}", sequence=30 + n)
    run_due(app)  # 6 open tasks: a contact and a visit each
    county = api(COUNTY)
    exact = county.get("/roster?per_page=2")
    assert exact.headers["X-Total-Count"] == "6" and "X-Total-Count-Capped" not in exact.headers
    monkeypatch.setattr("webapp.services.registry.paging.COUNT_CAP", 4)
    first = county.get("/roster?per_page=2")
    assert first.headers["X-Total-Count"] == "4" and first.headers["X-Total-Count-Capped"] == "true"
    beyond = county.get("/roster?per_page=2&page=3")  # past the counted pages: still read, still linked on
    assert len(beyond.get_json()) == 2 and 'rel="next"' in beyond.headers["Link"]
    last = county.get("/roster?per_page=2&page=4")
    assert last.get_json() == [] and 'rel="next"' not in last.headers.get("Link", "")
    browser.sign_in(COUNTY)
    assert "共 4 条以上" in browser.get("/roster?per_page=2").get_data(as_text=True)


def test_the_village_headline_counts_open_overdue_and_done_this_month(march, clock, api):
    from webapp.services import roster
    first, _second = register(march, "甲娃", sequence=21), register(march, "乙娃", sequence=22)
    run_due(march)
    contact = next(t for t in roster_ids(api, VILLAGE) if t["child"]["id"] == first and t["kind"] == "contact")
    assert api(VILLAGE).post(f"/roster/{contact['id']}/complete", {"data": FINDINGS}).status_code == 200

    def counts(day):
        at(clock, day)
        with march.extensions["tonghu.sessionmaker"]() as s:
            director = s.scalars(select(User).where(User.username == VILLAGE)).one()
            return roster.counts(s, director, clock.now())
    assert counts("2027-03-20") == {"open": 3, "overdue": 0, "done_this_month": 1}
    # 1 April, before the sweep opens April: March's three are overdue, and March's record is last month's
    assert counts("2027-04-01") == {"open": 3, "overdue": 3, "done_this_month": 0}
