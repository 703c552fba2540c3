"""The case's story on every task page and in `GET /api/v1/tasks/{id}` (issue 17, points 1 and 2):
what was reported, by which office and when, each earlier step in the form's Chinese labels;
the confidential reporter only for police and civil affairs handling the case, each read audited."""
import pytest
from sqlalchemy import func, select

from tests.helpers import only_task
from tests.test_revocation import CENTER, CIVIL, POLICE, POLICE_HANDLING, REPORT, REPORTER, TEMPORARY, complete, start, to_home_investigation
from webapp.models import AuditEntry
from webapp.services.cases import CONFIDENTIAL_MASK

REPORTING = "education.430104000000"
CITY_CIVIL = "civil_affairs.430100000000"
PHONE = REPORT["reporter"]["phone"]


@pytest.fixture
def report(api):
    response = start(api, REPORTING)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reporter_reads(db_session, username) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "reporter.read", AuditEntry.username == username))


def office_of(db_session, username) -> str:
    from webapp.models import User
    return db_session.scalars(select(User).where(User.username == username)).one().office.name


# -- the API ------------------------------------------------------------------------------------
def test_police_read_what_was_reported_and_who_reported_it(api, report, db_session):
    police = api(POLICE)
    detail = police.get(f"/tasks/{only_task(police, 'police_handle_report')['id']}").get_json()
    assert detail["case_data"]["reason"] == REPORT["reason"]
    assert detail["case_data"]["location"] == REPORT["location"]
    assert detail["case_data"]["reporter"] == REPORT["reporter"]
    assert detail["opened_by"] == office_of(db_session, REPORTING)
    assert detail["opened_at"].startswith("20") and detail["history"] == []
    assert reporter_reads(db_session, POLICE) == 1


def test_the_next_office_reads_each_earlier_step_with_its_data(api, report, db_session):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    civil = api(CIVIL)
    detail = civil.get(f"/tasks/{only_task(civil, 'decide_temporary_guardianship')['id']}").get_json()
    [step] = detail["history"]
    assert step["name"] == "police_handle_report" and step["department"] == "police"
    assert step["data"]["handling_note"] == "已带离现场"
    assert step["office"] == office_of(db_session, POLICE) and step["user"]
    assert detail["case_data"]["reporter"]["phone"] == PHONE
    assert reporter_reads(db_session, CIVIL) == 1


def test_an_office_not_entitled_reads_the_report_without_its_reporter(api, report, db_session):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    complete(api(CIVIL), "decide_temporary_guardianship", TEMPORARY)
    center = api(CENTER)
    response = center.get(f"/tasks/{only_task(center, 'medical_check')['id']}")
    text = response.get_data(as_text=True)
    detail = response.get_json()
    assert detail["case_data"]["reason"] == REPORT["reason"]
    assert detail["case_data"]["reporter"] == CONFIDENTIAL_MASK
    assert detail["opened_by"] is None
    assert REPORTER not in text and PHONE not in text and office_of(db_session, REPORTING) not in text
    assert [s["name"] for s in detail["history"]] == ["police_handle_report", "decide_temporary_guardianship"]
    assert reporter_reads(db_session, CENTER) == 0


# -- the task page ------------------------------------------------------------------------------
def test_the_task_page_tells_the_story_in_chinese(api, report, browser, db_session):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    task = only_task(api(CIVIL), "decide_temporary_guardianship")
    browser.sign_in(CIVIL)
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "报告与立案情况" in page and office_of(db_session, REPORTING) in page
    assert "报告事项（发生了什么）" in page and REPORT["reason"] in page and "是，需立即处置" in page
    assert "报告人姓名" in page and REPORTER in page and PHONE in page
    assert "已带离现场" in page and "尚无已办结的步骤" not in page
    police_office = office_of(db_session, POLICE)
    assert page.count(police_office) == 1  # the official is named like the office: said once
    assert reporter_reads(db_session, CIVIL) == 1


def test_the_task_page_masks_the_reporter_for_other_offices(api, report, browser, db_session):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    complete(api(CIVIL), "decide_temporary_guardianship", TEMPORARY)
    task = only_task(api(CENTER), "medical_check")
    browser.sign_in(CENTER)
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert REPORT["reason"] in page and CONFIDENTIAL_MASK in page
    assert REPORTER not in page and PHONE not in page and office_of(db_session, REPORTING) not in page
    assert reporter_reads(db_session, CENTER) == 0


def test_civil_affairs_not_handling_the_case_do_not_learn_the_reporter(api, report, browser, db_session):
    """The city's civil affairs bureau neither handles the case nor may open it (a revocation case is
    private to those who act on it); the county's, which does, sees the reporting office on the case
    page, and that read is audited."""
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    browser.sign_in(CIVIL)
    assert office_of(db_session, REPORTING) in browser.get(f"/cases/{report['id']}").get_data(as_text=True)
    assert reporter_reads(db_session, CIVIL) == 1
    browser.sign_in(CITY_CIVIL)
    page = browser.get(f"/cases/{report['id']}")
    assert page.status_code == 403
    assert office_of(db_session, REPORTING) not in page.get_data(as_text=True)
    assert reporter_reads(db_session, CITY_CIVIL) == 0


def test_older_steps_fold_away_behind_the_latest_three(api, report, browser):
    to_home_investigation(api)
    task = only_task(api("township.430104001000"), "township_home_investigation")
    browser.sign_in("township.430104001000")
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    folded, _sep, shown = page.partition("</details>")
    assert "更早的 1 个步骤" in folded and "已带离现场" in folded  # the police's step, the oldest
    assert "软组织挫伤" in shown and "救助保护中心" in shown


def test_a_case_the_scheduler_opened_says_so(app, browser, db_session, clock):
    from tests.conftest import CHILD
    from webapp.services import cases
    engine = app.extensions["tonghu.engine"]
    case = cases.start_scheduled(db_session, engine, "monitoring_visit", "430104001001",
                                 {"child": dict(CHILD), "kind": "monthly_contact", "reason": "按计划回访"}, clock.now())
    db_session.commit()
    task = cases.open_tasks(db_session, case)[0]
    browser.sign_in("village.430104001001")
    page = browser.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "系统按计划发起" in page and "按计划回访" in page


def test_an_ordinary_case_names_its_opener_to_everyone_on_it_and_audits_no_reporter(api, db_session, start_data):
    from tests.helpers import VILLAGE, start_entrustment_case
    start_entrustment_case(api, start_data)
    township = api("township.430104001000")
    detail = township.get(f"/tasks/{only_task(township, 'township_home_investigation')['id']}").get_json()
    assert detail["opened_by"] == office_of(db_session, VILLAGE)
    assert detail["case_data"]["reason"] == start_data["reason"] and detail["case_data"]["category"] == "de_facto_unsupported"
    assert reporter_reads(db_session, "township.430104001000") == 0
