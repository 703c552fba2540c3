"""Privacy of the psychological health file (POLICY.md cross-cutting rules; issue item 5).

The file is the task data and file entries of psych_referral cases. Only the offices that
handle the case (opened it, hold or held one of its tasks) and the civil affairs office of
the child's county read it, through the API and the web UI alike, and every read leaves a
`psych.read` entry in the audit log, even when the request writes nothing.
"""
import pytest
from sqlalchemy import func, select

from webapp import db
from webapp.models import AuditEntry, Case, User
from webapp.services import cases

from .test_psych_referral import referred_case

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
SCHOOL = "education.430104000000"
COUNTY_CIVIL = "civil_affairs.430104000000"
CITY_CIVIL = "civil_affairs.430100000000"


@pytest.fixture
def api(api):
    """One logged-in client per user (logging in hashes a password: slow on purpose)."""
    clients = {}

    def client(username):
        if username not in clients:
            clients[username] = api(username)
        return clients[username]
    return client


def task_id(api, username, name):
    tasks = [t for t in api(username).get("/tasks").get_json() if t["name"] == name]
    assert len(tasks) == 1, tasks
    return tasks[0]["id"]


def complete(api, username, name, data):
    response = api(username).post(f"/tasks/{task_id(api, username, name)}/complete", {"data": data})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def psych_case(app, db_session):
    """A case waiting for the school's assessment (driven through the services: logging in is slow)."""
    case_id = referred_case(db_session, app).id
    db_session.close()
    return case_id


def reads(app, username=None, target=None) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.action == "psych.read")
        if username:
            query = query.where(AuditEntry.username == username)
        if target:
            query = query.where(AuditEntry.target == target)
        return list(db.session().scalars(query))


# -- the API ---------------------------------------------------------------------------------
@pytest.mark.parametrize("username", [VILLAGE, TOWNSHIP, SCHOOL, COUNTY_CIVIL, f"supervisor.{COUNTY_CIVIL}",
                                      f"supervisor.{TOWNSHIP}"])
def test_offices_handling_the_case_and_county_civil_affairs_read_it(app, api, psych_case, username):
    response = api(username).get(f"/instances/{psych_case}")
    assert response.status_code == 200
    assert [h["name"] for h in response.get_json()["history"]] == ["record_contact", "screen_psych"]
    [entry] = reads(app, username, f"case:{psych_case}")
    assert entry.remote_addr == "127.0.0.1" and entry.office_id is not None and entry.detail == {"case": psych_case}


@pytest.mark.parametrize("username", [
    CITY_CIVIL,                          # civil affairs, but not the child's county
    "civil_affairs.310104000000",        # another province
    "police.430104000000",               # a department with no task in the case
    "health.430104000000",               # no referral yet
    "village.430104001002",              # the neighbouring community
])
def test_others_are_refused_and_leave_no_read(app, api, psych_case, username):
    assert api(username).get(f"/instances/{psych_case}").status_code == 403
    assert reads(app, username) == []


def test_every_read_is_audited_not_only_the_first(app, api, psych_case):
    for _ in range(3):
        assert api(COUNTY_CIVIL).get(f"/instances/{psych_case}").status_code == 200
    assert len(reads(app, COUNTY_CIVIL, f"case:{psych_case}")) == 3


def test_reading_a_task_is_audited(app, api, psych_case):
    tid = task_id(api, SCHOOL, "assess_at_school")
    response = api(SCHOOL).get(f"/tasks/{tid}")
    assert response.status_code == 200
    assert response.get_json()["data"]["observations"] == "成绩下滑，常独处"
    [entry] = reads(app, SCHOOL, f"task:{tid}")
    assert entry.detail == {"case": psych_case, "name": "assess_at_school"}


def test_the_hospital_reads_once_the_child_is_referred(app, api, psych_case):
    assert api("health.430104000000").get(f"/instances/{psych_case}").status_code == 403
    complete(api, SCHOOL, "assess_at_school", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "self_harm_risk": "plan_or_attempt",
        "harm_to_others": False, "symptom_severity": "severe", "functional_impairment": True,
        "assessment_summary": "有自伤行为"})
    assert api("health.430104000000").get(f"/instances/{psych_case}").status_code == 200
    assert len(reads(app, "health.430104000000")) == 1


def test_other_procedures_keep_their_rules_and_are_not_audited_as_psychological(app, api, start_data):
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    case_id = response.get_json()["id"]
    assert api(CITY_CIVIL).get(f"/instances/{case_id}").status_code == 200  # city civil affairs oversees
    assert api(COUNTY_CIVIL).get(f"/instances/{case_id}").status_code == 200
    assert reads(app) == []


# -- the web UI ------------------------------------------------------------------------------
def test_case_page_for_the_county_and_refused_to_the_city(app, browser, psych_case):
    browser.sign_in(COUNTY_CIVIL)
    page = browser.get(f"/cases/{psych_case}")
    assert page.status_code == 200 and "心理健康转介" in page.get_data(as_text=True)
    assert len(reads(app, COUNTY_CIVIL, f"case:{psych_case}")) == 1
    browser.sign_in(CITY_CIVIL)
    assert browser.get(f"/cases/{psych_case}").status_code == 403
    assert reads(app, CITY_CIVIL) == []


def test_task_page_read_is_audited(app, api, browser, psych_case):
    tid = task_id(api, SCHOOL, "assess_at_school")
    browser.sign_in(SCHOOL)
    page = browser.get(f"/tasks/{tid}")
    assert page.status_code == 200 and "自伤自杀风险" in page.get_data(as_text=True)
    assert len(reads(app, SCHOOL, f"task:{tid}")) == 1


def test_document_page_is_refused_to_others(app, api, browser, psych_case):
    complete(api, SCHOOL, "assess_at_school", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "self_harm_risk": "none", "harm_to_others": False,
        "symptom_severity": "mild", "functional_impairment": False, "assessment_summary": "轻度"})
    with app.app_context():
        case = db.session().get(Case, psych_case)
        [ledger] = [e for e in cases.file_entries(db.session(), case.child) if e.kind == "document"]
    browser.sign_in("police.430104000000")
    assert browser.get(f"/cases/{psych_case}/documents/{ledger.id}").status_code == 403
    browser.sign_in(SCHOOL)
    page = browser.get(f"/cases/{psych_case}/documents/{ledger.id}")
    assert page.status_code == 200 and "低风险" in page.get_data(as_text=True)


# -- the child's file ------------------------------------------------------------------------
def test_the_childs_file_leaves_out_psychological_entries_for_others(app, api, psych_case, start_data):
    """City civil affairs sees the child's entrustment case, not the psychological file."""
    with app.app_context():
        child = db.session().get(Case, psych_case).child
        same_child = {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                      "gender": child.gender}
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001",
                                                                            "data": {**start_data, "child": same_child}})
    assert response.status_code == 201
    with app.app_context():
        s = db.session()
        city = s.scalars(select(User).where(User.username == CITY_CIVIL)).one()
        county = s.scalars(select(User).where(User.username == COUNTY_CIVIL)).one()
        seen_by_city = cases.file_entries(s, child, viewer=city)
        assert seen_by_city and all(e.case.definition.process_id == "entrustment_care" for e in seen_by_city)
        seen_by_county = cases.file_entries(s, child, viewer=county)
        assert {e.case.definition.process_id for e in seen_by_county} == {"entrustment_care", "psych_referral"}
    assert reads(app, CITY_CIVIL) == []
    [entry] = reads(app, COUNTY_CIVIL, f"child:{child.id}")
    assert entry.detail == {"cases": [psych_case]}


def test_a_read_stays_audited_when_the_request_writes_nothing(app, psych_case):
    """Page views end without a commit; the read is on record all the same."""
    with app.app_context():
        s = db.session()
        county = s.scalars(select(User).where(User.username == COUNTY_CIVIL)).one()
        cases.case_for(s, psych_case, county)
        s.rollback()
        s.close()
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(AuditEntry)
                                   .where(AuditEntry.action == "psych.read")) == 1


def test_the_childs_page_shows_no_trace_of_the_psychological_file_to_others(app, api, browser, psych_case, start_data):
    with app.app_context():
        child = db.session().get(Case, psych_case).child
        same_child = {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                      "gender": child.gender}
    api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001",
                                                                 "data": {**start_data, "child": same_child}})
    browser.sign_in(CITY_CIVIL)
    page = browser.get(f"/children/{child.id}")
    assert page.status_code == 200  # the entrustment case is the city's to oversee
    text = page.get_data(as_text=True)
    assert "五方委托照护协议" in text
    assert "心理健康" not in text and "记录联系走访情况" not in text
