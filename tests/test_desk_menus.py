"""Menus that fit the user (issue 17, point 6): the start picker lists only what the user may
open there, each with what it is for; designers and admins land on their own pages; tasks not
due for months leave the daily to-do list for the 长期任务 tab, still counted."""
import re
from datetime import timedelta

from sqlalchemy import select

from tests.helpers import resident_id, start_entrustment_case
from webapp.models import HumanTask

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
EDUCATION = "education.430104000000"


def picker(browser, username) -> dict[str, str]:
    """{process id: its purpose line} offered on the start picker."""
    browser.sign_in(username)
    page = browser.get("/cases/new")
    assert page.status_code == 200
    items = re.findall(r'<a href="/cases/new\?process=(\w+)">[^<]*</a>\s*<span class="purpose">([^<]*)</span>',
                       page.get_data(as_text=True))
    return dict(items)


# -- the start picker --------------------------------------------------------------------------
def test_a_school_may_only_file_a_mandatory_report_or_a_psych_referral(browser):
    """A school files a mandatory report, and (audit row P2a) starts a psych referral for its own pupils; nothing else."""
    offered = picker(browser, EDUCATION)
    assert offered == {"guardianship_revocation": "强制报告：儿童遭受或疑似遭受侵害、面临危险",
                       "psych_referral": "心理健康监测：建立或续记儿童心理健康档案"}


def test_a_village_sees_what_it_opens_and_never_a_hand_over_only_procedure(browser):
    offered = picker(browser, VILLAGE)
    assert {"entrustment_care", "guardianship_revocation", "monitoring_visit"} <= set(offered)
    assert offered["entrustment_care"] == "发现报告：监护困难儿童"
    assert "guardianship_restoration" not in offered  # handed over by a revocation only
    assert "guardianship_assessment" not in offered  # called by other procedures only


def test_civil_affairs_are_not_offered_the_restoration_and_are_told_why(browser):
    offered = picker(browser, CIVIL)
    assert "guardianship_restoration" not in offered and "guardianship_revocation" in offered
    page = browser.get("/cases/new?process=guardianship_restoration").get_data(as_text=True)
    assert "您所在的单位不能发起此流程" in page and 'name="region"' not in page
    page = browser.get("/cases/new?process=no_such_thing").get_data(as_text=True)
    assert "没有这个流程" in page


def test_an_office_that_opens_nothing_is_told_so(browser):
    assert picker(browser, "designer") == {}  # no office: opens nothing
    assert "没有可以直接发起的流程" in browser.get("/cases/new").get_data(as_text=True)


def test_a_refused_post_still_says_why(browser):
    browser.sign_in(EDUCATION)
    browser.get("/cases/new")
    response = browser.post("/cases/new", {"process": "guardianship_restoration", "region": "430104001001"})
    assert response.status_code == 403 and "移交" in response.get_data(as_text=True)


# -- landing -----------------------------------------------------------------------------------
def test_each_role_lands_on_its_own_page(browser):
    for username, landing in (("designer", "/designer/"), ("admin", "/admin/"), (VILLAGE, "/")):
        response = browser.sign_in(username)
        assert response.status_code == 302 and response.headers["Location"] == landing, username
        browser.client.delete_cookie("session")


def test_a_chosen_page_still_wins_over_the_landing(browser):
    browser.get("/login")
    response = browser.post("/login?next=/admin/audit", {"username": "admin", "password": "tonghu-demo"})
    assert response.headers["Location"] == "/admin/audit"


# -- long-term tasks ---------------------------------------------------------------------------
def test_tasks_not_due_for_months_leave_the_daily_list_but_stay_counted(app, api, browser, start_data, db_session, clock):
    start_entrustment_case(api, start_data)
    start_entrustment_case(api, {**start_data, "child": {**start_data["child"], "name": "小红", "gender": "female",
                                                         "id_number": resident_id("430104", "2015-02-02", 2), "birth_date": "2015-02-02"}})
    far, near = db_session.scalars(select(HumanTask).where(HumanTask.state == "open").order_by(HumanTask.id)).all()
    far.due = clock.now() + timedelta(days=400)
    near.due = clock.now() + timedelta(days=80)
    db_session.commit()
    browser.sign_in(TOWNSHIP)
    daily = browser.get("/").get_data(as_text=True)
    ids = re.findall(r'<tr data-task="(\d+)">', daily)
    assert ids == [str(near.id)]
    assert "待办任务（1）" in daily and "长期任务（1）" in daily
    long_term = browser.get("/?term=long").get_data(as_text=True)
    assert re.findall(r'<tr data-task="(\d+)">', long_term) == [str(far.id)]
    assert "待办任务（1）" in long_term and "长期任务（1）" in long_term
    # the API's list is unchanged: every open task
    assert {t["id"] for t in api(TOWNSHIP).get("/tasks").get_json()} == {far.id, near.id}
