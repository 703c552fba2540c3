"""Resettlement of orphans at 18 in the officials' web UI: start, record study, deadlines, document, file."""
import re
from datetime import datetime

from webapp import db
from webapp.services import resettlement, scheduler

from webapp.engine.clock import LOCAL_TZ as CHINA
REGION = "310104001001"
INSTITUTION = "welfare_institution.310100000000"
CIVIL = "civil_affairs.310100000000"
CHILD_FIELDS = {"child.name": "小华", "child.id_number": "310104203209150020", "child.birth_date": "2032-09-15",
                "child.gender": "female"}


def travel(clock, day):
    clock.travel_to(datetime.fromisoformat(day).replace(tzinfo=CHINA))


def field(page, name) -> str:
    text = page.get_data(as_text=True)
    match = re.search(rf'<div class="field[^"]*" data-field="{re.escape(name)}">(.*?)</div>', text, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def task_link(page, title) -> str:
    match = re.search(r'href="(/tasks/\d+)"[^>]*>\s*' + re.escape(title), page.get_data(as_text=True))
    assert match, f"no link to {title}"
    return match.group(1)


def start_in_browser(browser) -> str:
    browser.sign_in(INSTITUTION)
    page = browser.get("/cases/new?process=orphan_resettlement")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "人民法院指定市民政部门担任监护人的未成年人" in text and REGION in text
    response = browser.post("/cases/new", {"process": "orphan_resettlement", "region": REGION, **CHILD_FIELDS,
                                           "basis": "institution_orphan", "reason": "年满十八周岁前六个月启动安置"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_start_and_record_study_in_the_browser(browser, clock):
    travel(clock, "2050-03-15")
    case_page = browser.get(start_in_browser(browser))
    assert "登记在学情况" in case_page.get_data(as_text=True)
    task = task_link(case_page, "登记在学情况")
    page = browser.get(task)
    html = field(page, "in_school")
    assert 'value="true"> 在学' in html and 'value="false"> 不在学' in html
    assert 'type="date"' in field(page, "study_end_date")

    refused = browser.post(task, {"in_school": "true", "study_stage": "secondary_vocational"})
    assert refused.status_code == 422
    assert "此项必填" in field(refused, "study_end_date") and "此项必填" in field(refused, "enrolment_proof_date")
    assert "selected" in field(refused, "study_stage")

    done = browser.post(task, {"in_school": "true", "study_stage": "secondary_vocational", "school_name": "某中职",
                               "study_end_date": "2051-06-30", "enrolment_proof": "在学证明第 1 号",
                               "enrolment_proof_date": "2049-09-01"})
    assert done.status_code == 302
    browser.post("/logout")
    browser.sign_in(CIVIL)
    listing = browser.get("/").get_data(as_text=True)
    assert "确认继续享受基本生活费" in listing and "小华" in listing


def test_not_in_school_assessment_is_due_by_the_18th_birthday(browser, clock):
    travel(clock, "2050-03-15")
    case_page = browser.get(start_in_browser(browser))
    assert browser.post(task_link(case_page, "登记在学情况"), {"in_school": "false"}).status_code == 302
    browser.post("/logout")
    browser.sign_in(CIVIL)
    # Due in six months: under 长期任务 (issue 17), counted on the daily list.
    assert "长期任务（1）" in browser.get("/").get_data(as_text=True)
    listing = browser.get("/?term=long")
    text = listing.get_data(as_text=True)
    assert "综合评估（成年前）" in text and "2050-09-15" in text


def test_approved_plan_is_a_printable_document(browser, clock):
    travel(clock, "2050-03-15")
    case_url = start_in_browser(browser)
    browser.post(task_link(browser.get(case_url), "登记在学情况"), {"in_school": "false"})
    browser.post("/logout")
    browser.sign_in(CIVIL)
    assessment = {"independent_living": "sufficient", "work_ability": "partial", "self_care": "sufficient",
                  "physical_mental_state": "身体健康", "assessment_result": "able", "assessment_summary": "具备",
                  "assessed_on": "2050-04-01"}
    assert browser.post(task_link(browser.get(case_url), "综合评估（成年前）"), assessment).status_code == 302
    browser.post("/logout")
    browser.sign_in(INSTITUTION)
    plan = {"housing_plan": "申请徐汇区公共租赁住房", "new_residence_street": "310104001000", "household_registration_plan": "迁入新住所",
            "employment_plan": "推荐就业", "care_plan": "结对关爱", "planned_move_date": "2050-10-01"}
    assert browser.post(task_link(browser.get(case_url), "拟定回归社会安置方案"), plan).status_code == 302
    browser.post("/logout")
    browser.sign_in(CIVIL)
    approval = {"plan_approved": "true", "approval_opinion": "同意", "housing_opinion": "同意", "household_registration_opinion": "同意", "employment_opinion": "同意"}
    assert browser.post(task_link(browser.get(case_url), "审批安置方案"), approval).status_code == 302
    case_page = browser.get(case_url).get_data(as_text=True)
    match = re.search(r'href="([^"]+/documents/\d+)"[^>]*>\s*孤儿回归社会安置方案', case_page)
    assert match, case_page
    document = browser.get(match.group(1)).get_data(as_text=True)
    assert "申请徐汇区公共租赁住房" in document and "部分具备" in document and "2050-09-15" in document


def test_child_file_shows_the_placement_and_the_automatic_start(app, browser, clock):
    travel(clock, "2050-03-10")
    with app.app_context():
        session = db.session()
        child = resettlement.register_in_care(session, {"name": "小华", "id_number": "310104203209150020",
                                                        "birth_date": "2032-09-15", "gender": "female"},
                                              REGION, True, clock.now())
        child_id = child.id
        session.commit()
        travel(clock, "2050-03-15")
        assert scheduler.run_due_work(session, app.extensions["tonghu.engine"], clock.now())["resettlement_starts"] == 1
        session.commit()
    browser.sign_in(INSTITUTION)
    listing = browser.get("/").get_data(as_text=True)
    assert "登记在学情况" in listing and "小华" in listing
    page = browser.get(f"/children/{child_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "登记由市儿童福利机构集中养育" in text and "立案：孤儿成年后回归社会安置" in text
