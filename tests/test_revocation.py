"""Revocation of guardianship through the API and the web UI; the restoration window; the diagrams.

The scenarios in features/guardianship_revocation.feature walk the procedure; these tests hold
what a scenario cannot: HTTP status codes, what each department's API answer and web page
show of a confidential reporter, and the restoration window's calendar arithmetic.
"""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from handlers import HandlerContext, HandlerError, dispatch
from handlers.dates import LOCAL_TZ as CHINA, add_months
from handlers.revocation import restoration_decision, restoration_window
from tests.helpers import capacity_assessment, demo_unit_id, only_task
from webapp.models import User

POLICE = "police.430104001000"
CIVIL = "civil_affairs.430104000000"
COURT = "court.430104000000"
# The protection centre the decision chooses (it checks and admits the child), and the generic office
# that must never see those tasks; the welfare institution a long-term guardianship names.
CENTER = "unit.yl-protection"
CENTER_OFFICE = "protection_center.430104000000"
WELFARE = "unit.cs-welfare"
WELFARE_OFFICE = "welfare_institution.430100000000"
TOWNSHIP = "township.430104001000"
REPORTER = "张老师"

REPORT = {
    "child": {"name": "小刚", "id_number": "430104201601010039", "birth_date": "2016-01-01", "gender": "male"},
    "reason": "儿童多次带伤上学，自述被父亲殴打",
    "location": "望月湖社区 12 栋",
    "occurred_on": "2026-11-19",
    "child_in_danger": True,
    "reporter": {"name": REPORTER, "organisation": "望月湖小学", "reporter_type": "school", "phone": "13800000000"},
}
POLICE_HANDLING = {"accepted_at": "2026-11-20T10:30:00+08:00", "police_measures": "removed_child", "criminal_case": False,
                   "child_in_danger": True, "handling_note": "已带离现场"}
TEMPORARY = {"temporary_guardianship": True, "guardianship_trigger": "abuse_removed", "placement": "protection_center",
             "placement_center_unit": demo_unit_id("yl-protection"), "protection_order": False,
             "decision_note": "立即临时监护"}


def start(api, username, region="430104001001", data=None):
    return api(username).post("/processes/guardianship_revocation/instances", {"region": region, "data": data or REPORT})


def complete(client, name, data):
    response = client.post(f"/tasks/{only_task(client, name)['id']}/complete", {"data": data})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def report(api):
    response = start(api, "education.430104000000")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# -- who may start --------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["education.430104000000", "health.430104000000", "village.430104001001",
                                      "welfare_institution.430100000000", POLICE])
def test_any_office_covering_the_place_may_file_a_report(api, username):
    response = start(api, username)
    assert response.status_code == 201, response.get_json()
    assert [t["name"] for t in response.get_json()["open_tasks"]] == ["police_handle_report"]


@pytest.mark.parametrize("username", ["education.310104000000", "village.430104002001", "health.430104000000"])
def test_offices_elsewhere_may_not(api, username):
    region = "430104001001" if username != "health.430104000000" else "310104001001"
    assert start(api, username, region).status_code == 403


def test_other_procedures_keep_their_start_rule(api, start_data):
    """startableBy is opt-in: the entrustment procedure is still started by its start lane only."""
    response = api("education.430104000000").post("/processes/entrustment_care/instances",
                                                  {"region": "430104001001", "data": start_data})
    assert response.status_code == 403


def test_a_report_needs_its_what_where_and_reporter(api):
    data = {**REPORT, "reporter": {"name": "", "organisation": "望月湖小学", "reporter_type": "school"}}
    del data["location"]
    response = start(api, "education.430104000000", data=data)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["location"] == "此项必填" and errors["reporter.name"] == "此项必填" and errors["reporter.phone"] == "此项必填"


def test_restoration_is_opened_only_by_a_revocation(api):
    response = api(COURT).post("/processes/guardianship_restoration/instances",
                               {"region": "430104001001", "data": {"child": REPORT["child"]}})
    assert response.status_code == 403
    assert "移交" in response.get_json()["error"]


def test_start_forms_are_published(api):
    form = api("education.430104000000").get("/processes/guardianship_revocation").get_json()["form"]
    assert {"child", "reason", "location", "reporter"} <= set(form["properties"])


# -- the confidential reporter ----------------------------------------------------------------
def test_police_and_civil_affairs_see_the_reporter_others_do_not(api, report):
    police = api(POLICE)
    task = only_task(police, "police_handle_report")
    assert task["due"] is not None
    assert police.get(f"/tasks/{task['id']}").get_json()["data"]["reporter"]["name"] == REPORTER
    complete(police, "police_handle_report", POLICE_HANDLING)
    civil = api(CIVIL)
    task = only_task(civil, "decide_temporary_guardianship")
    assert civil.get(f"/tasks/{task['id']}").get_json()["data"]["reporter"]["name"] == REPORTER
    complete(civil, "decide_temporary_guardianship", TEMPORARY)
    center = api(CENTER)
    detail = center.get(f"/tasks/{only_task(center, 'medical_check')['id']}").get_json()
    assert REPORTER not in str(detail["data"]) and "13800000000" not in str(detail["data"])
    assert detail["data"]["reporter"] == "由强制报告责任主体报告（报告人身份依法保密）"
    assert detail["data"]["reason"] == REPORT["reason"]


def reporting_office(db_session) -> str:
    return db_session.scalars(select(User).where(User.username == "education.430104000000")).one().display_name


def test_the_child_file_does_not_name_the_reporter(api, report, browser, db_session):
    instance = api(CIVIL).get(f"/instances/{report['id']}").get_json()
    browser.sign_in(CIVIL)
    page = browser.get(f"/children/{instance['child_id']}").get_data(as_text=True)
    assert "强制报告登记表" in page
    assert REPORTER not in page and reporting_office(db_session) not in page


def test_case_page_names_the_reporting_office_to_police_and_civil_affairs_only(api, report, browser, db_session):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    complete(api(CIVIL), "decide_temporary_guardianship", TEMPORARY)
    office = reporting_office(db_session)
    browser.sign_in(CIVIL)
    assert office in browser.get(f"/cases/{report['id']}").get_data(as_text=True)
    browser.sign_in(CENTER)
    page = browser.get(f"/cases/{report['id']}")
    assert page.status_code == 200 and office not in page.get_data(as_text=True)


def test_web_pages_of_other_departments_do_not_show_the_reporter(api, report, browser):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    complete(api(CIVIL), "decide_temporary_guardianship", TEMPORARY)
    task = only_task(api(CENTER), "medical_check")
    browser.sign_in(CENTER)
    page = browser.get(f"/tasks/{task['id']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "临时监护前体检" in text and REPORTER not in text
    documents = browser.get(f"/cases/{report['id']}").get_data(as_text=True)
    assert "强制报告登记表" in documents and REPORTER not in documents


# -- the placement institution (issue 14) ------------------------------------------------------
def test_temporary_guardianship_without_the_placement_unit_is_refused_and_kept_open(api, report):
    """No unit chosen: a 422 naming the unit to choose, the decision stays open; once chosen, only
    that unit's officials see the check and the admission, not the district's generic office."""
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    civil = api(CIVIL)
    task = only_task(civil, "decide_temporary_guardianship")
    unchosen = {key: value for key, value in TEMPORARY.items() if key != "placement_center_unit"}
    response = civil.post(f"/tasks/{task['id']}/complete", {"data": unchosen})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"placement_center_unit": "请选择负责体检的未成年人救助保护机构"}
    welfare = {**TEMPORARY, "placement": "welfare_institution"}
    response = civil.post(f"/tasks/{task['id']}/complete", {"data": welfare})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"placement_welfare_unit": "请选择收留抚养的儿童福利机构"}
    assert only_task(civil, "decide_temporary_guardianship")["id"] == task["id"]
    complete(civil, "decide_temporary_guardianship", {**welfare, "placement_welfare_unit": demo_unit_id("cs-welfare")})
    check = only_task(api(CENTER), "medical_check")
    assert check["office"] == "岳麓区未成年人救助保护中心"
    for username in (CENTER_OFFICE, WELFARE, WELFARE_OFFICE):
        assert check["id"] not in [t["id"] for t in api(username).get("/tasks").get_json()], username
        assert api(username).get(f"/tasks/{check['id']}").status_code == 403, username
    complete(api(CENTER), "medical_check", {"checked_on": "2026-11-21", "hospital": "岳麓区人民医院",
                                            "health_findings": "软组织挫伤", "injuries_documented": True})
    admission = only_task(api(WELFARE), "admit_welfare_temporary")
    assert admission["office"] == "长沙市儿童福利院"
    for username in (WELFARE_OFFICE, CENTER, CENTER_OFFICE):
        assert admission["id"] not in [t["id"] for t in api(username).get("/tasks").get_json()], username


def test_the_placement_unit_choice_lists_the_units_serving_the_childs_place(api, report):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    civil = api(CIVIL)
    form = civil.get(f"/tasks/{only_task(civil, 'decide_temporary_guardianship')['id']}").get_json()["form"]
    center, welfare = form["properties"]["placement_center_unit"], form["properties"]["placement_welfare_unit"]
    assert center["enum"] == [demo_unit_id("yl-protection")] and center["x-enum-titles"] == ["岳麓区未成年人救助保护中心"]
    assert welfare["enum"] == [demo_unit_id("cs-welfare")] and welfare["x-enum-titles"] == ["长沙市儿童福利院"]
    response = civil.post(f"/tasks/{only_task(civil, 'decide_temporary_guardianship')['id']}/complete",
                          {"data": {**TEMPORARY, "placement_center_unit": demo_unit_id("cs-welfare")}})
    assert response.status_code == 422 and "placement_center_unit" in response.get_json()["errors"]


# -- court tasks ------------------------------------------------------------------------------
def to_home_investigation(api):
    """A mandatory report handled by the police, decided by civil affairs and placed in the protection
    centre: the township's home investigation is next."""
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    complete(api(CIVIL), "decide_temporary_guardianship", TEMPORARY)
    center = api(CENTER)
    complete(center, "medical_check", {"checked_on": "2026-11-21", "hospital": "岳麓区人民医院",
                                       "health_findings": "软组织挫伤", "injuries_documented": True})
    complete(center, "admit_protection_center", {"placed_on": "2026-11-21", "carer": "救助保护中心", "arrangements": "照料"})


def _to_court(api, report):
    to_home_investigation(api)
    complete(api(TOWNSHIP), "township_home_investigation", {
        "guardian_name": "刘某", "guardian_relation": "parent", "health": "吸毒", "income": "无", "living_conditions": "差"})
    civil = api(CIVIL)
    complete(civil, "assess_capacity", capacity_assessment("severe_risk", "严重风险"))
    complete(civil, "investigate", {"findings": "多次殴打", "grounds": "domestic_violence", "entrustment_attempted": True,
                                    "guardian_refuses_entrustment": True, "intervention": "revocation", "measure_note": "申请撤销"})
    return complete(civil, "choose_applicant", {"other_applicant": "none", "procuratorate_review": False,
                                                "application_grounds": "监护人殴打儿童"})


COURT_USERS_ELSEWHERE = ["court.310104000000"]
OTHER_OFFICES = [CIVIL, POLICE, CENTER, CENTER_OFFICE, TOWNSHIP, "procuratorate.430104000000", WELFARE_OFFICE, WELFARE,
                 "village.430104001001", "education.430104000000", "supervisor.civil_affairs.430104000000"]


def test_court_tasks_are_for_the_court_only(api, report, browser):
    instance = _to_court(api, report)
    assert [t["name"] for t in instance["open_tasks"]] == ["court_accept"]
    court = api(COURT)
    task = only_task(court, "court_accept")
    for username in OTHER_OFFICES + COURT_USERS_ELSEWHERE:
        client = api(username)
        assert task["id"] not in [t["id"] for t in client.get("/tasks").get_json()], username
        assert client.get(f"/tasks/{task['id']}").status_code == 403, username
        assert client.post(f"/tasks/{task['id']}/claim").status_code == 403, username
    browser.sign_in(CIVIL)
    assert browser.get(f"/tasks/{task['id']}").status_code == 403
    assert "受理撤销监护人资格申请" not in browser.get("/").get_data(as_text=True)
    browser.sign_in(COURT)
    assert "受理撤销监护人资格申请" in browser.get("/").get_data(as_text=True)


def test_court_ruling_is_checked_and_filed(api, report, clock):
    _to_court(api, report)
    court = api(COURT)
    complete(court, "court_accept", {"court_case_number": "（2026）湘0104民特1号", "accepted_on": "2026-12-01"})
    task = only_task(court, "court_rule")
    due = datetime.fromisoformat(court.get(f"/tasks/{task['id']}").get_json()["due"])
    assert 28 <= (due - clock.now()).days <= 31
    incomplete = {"hearing_date": "2026-12-20", "child_can_express_view": True, "court_ruling": "revoked",
                  "ruling_reasons": "严重侵害"}
    response = court.post(f"/tasks/{task['id']}/complete", {"data": incomplete})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"child_view", "designated_guardian", "maintenance_ordered"}
    ruled = {**incomplete, "child_view": "不想回家", "designated_guardian": "civil_affairs", "maintenance_ordered": True}
    response = court.post(f"/tasks/{task['id']}/complete", {"data": ruled})
    assert response.status_code == 422  # long-term care: which welfare institution raises the child
    assert response.get_json()["errors"] == {"placement_welfare_unit": "请选择长期养育的儿童福利机构"}
    response = court.post(f"/tasks/{task['id']}/complete", {"data": {**ruled, "placement_welfare_unit": demo_unit_id("cs-welfare")}})
    assert response.status_code == 200, response.get_json()
    assert [t["name"] for t in response.get_json()["open_tasks"]] == ["admit_long_term"]
    admission = only_task(api(WELFARE), "admit_long_term")
    assert admission["office"] == "长沙市儿童福利院"
    for username in (WELFARE_OFFICE, CENTER, CENTER_OFFICE):
        assert admission["id"] not in [t["id"] for t in api(username).get("/tasks").get_json()], username
        assert api(username).get(f"/tasks/{admission['id']}").status_code == 403, username


def test_web_form_completes_a_police_task(api, report, browser):
    task = only_task(api(POLICE), "police_handle_report")
    browser.sign_in(POLICE)
    page = browser.get(f"/tasks/{task['id']}")
    assert page.status_code == 200 and "受理并处置强制报告" in page.get_data(as_text=True)
    assert 'name="accepted_at" value=""\n         type="datetime-local"' in page.get_data(as_text=True)
    response = browser.post(f"/tasks/{task['id']}", {
        "accepted_at": "2026-11-20T10:30", "police_measures": "removed_child", "criminal_case": "false",
        "child_in_danger": "true", "handling_note": "已带离现场"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert only_task(api(CIVIL), "decide_temporary_guardianship")["instance_id"] == report["id"]
    # the police accept within hours: the datetime-local input is kept as a Beijing moment and shown so
    done = api(POLICE).get(f"/tasks/{task['id']}").get_json()
    assert done["data"]["accepted_at"] == "2026-11-20T10:30:00+08:00", done
    assert "2026-11-20 10:30（北京时间）" in browser.get(f"/cases/{report['id']}").get_data(as_text=True)


def test_web_start_form_files_a_report(api, browser):
    browser.sign_in("education.430104000000")
    page = browser.get("/cases/new?process=guardianship_revocation")
    assert page.status_code == 200 and "reporter.name" in page.get_data(as_text=True)
    fields = {"process": "guardianship_revocation", "region": "430104001001",
              **{f"child.{k}": v for k, v in REPORT["child"].items()},
              "reason": REPORT["reason"], "location": REPORT["location"], "occurred_on": REPORT["occurred_on"],
              "child_in_danger": "true", **{f"reporter.{k}": v for k, v in REPORT["reporter"].items()}}
    response = browser.post("/cases/new", fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert only_task(api(POLICE), "police_handle_report")


# -- the restoration window -------------------------------------------------------------------
def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(date(2027, 1, 15), 3) == date(2027, 4, 15)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2027, 1, 31), 12) == date(2028, 1, 31)


def test_window_closes_at_the_end_of_its_last_day_in_china():
    window = restoration_window(date(2027, 1, 15))
    assert window["restoration_opens_on"] == "2027-04-15" and window["restoration_closes_on"] == "2028-01-15"
    closes_at = datetime.fromisoformat(window["restoration_closes_at"])
    assert closes_at == datetime(2028, 1, 16, tzinfo=CHINA)


def application(**extra):
    return {"restoration_window": restoration_window(date(2027, 1, 15)), "applicant_name": "刘某",
            "applicant_relation": "father", "intentional_crime_against_child": False, **extra}


@pytest.mark.parametrize("today, outcome", [
    (date(2027, 4, 14), "too_early"), (date(2027, 4, 15), "admissible"),
    (date(2028, 1, 15), "admissible"), (date(2028, 1, 16), "too_late"),
])
def test_window_boundaries(today, outcome):
    assert restoration_decision(application(), today)["outcome"] == outcome


def test_refusals_say_why():
    early = restoration_decision(application(), date(2027, 3, 1))
    assert "2027-04-15" in early["reason"] and "不予受理" in early["reason"]
    late = restoration_decision(application(), date(2028, 3, 1))
    assert "2028-01-15" in late["reason"] and "逾期" in late["reason"]
    barred = restoration_decision(application(intentional_crime_against_child=True), date(2027, 6, 1))
    assert barred["outcome"] == "barred" and "故意犯罪" in barred["reason"]
    assert restoration_decision(application(applicant_relation="other"), date(2027, 6, 1))["outcome"] == "not_parent"


def test_check_uses_the_clock_in_china_and_files_its_answer():
    # 15 April 2027, 00:30 in Beijing is still 14 April in UTC: the window is open.
    ctx = HandlerContext(1, "430104001001", "guardianship_restoration", "审查", application(),
                         datetime(2027, 4, 14, 16, 30, tzinfo=timezone.utc))
    assert dispatch("check_restoration_application", ctx, {})["outcome"] == "admissible"
    assert [d.title for d in ctx.documents] == ["恢复监护人资格申请受理通知"]
    ctx = HandlerContext(1, "430104001001", "guardianship_restoration", "审查", application(),
                         datetime(2027, 4, 14, 15, 30, tzinfo=timezone.utc))
    assert dispatch("check_restoration_application", ctx, {})["outcome"] == "too_early"
    assert [d.title for d in ctx.documents] == ["恢复监护人资格申请不予受理通知"]


def test_no_window_without_a_revocation():
    ctx = HandlerContext(1, "430104001001", "guardianship_restoration", "告知", {"ruling_record": {"ruling": "rejected"}},
                         datetime.now(timezone.utc))
    with pytest.raises(HandlerError):
        dispatch("open_restoration_window", ctx, {})


def test_ruling_record_fixes_the_window_from_the_day_it_is_recorded():
    data = {"court_ruling": "revoked", "designated_guardian": "relative", "designated_relative_name": "刘奶奶",
            "child_can_express_view": False, "maintenance_ordered": True, "ruling_reasons": "严重侵害",
            "child": REPORT["child"]}
    ctx = HandlerContext(1, "430104001001", "guardianship_revocation", "登记", data,
                         datetime(2027, 1, 14, 17, 0, tzinfo=timezone.utc))  # 15 January in Beijing
    record = dispatch("record_court_ruling", ctx, {"kind": "revocation"})
    assert record["ruled_on"] == "2027-01-15" and record["restoration_opens_on"] == "2027-04-15"
    assert "刘奶奶" in ctx.documents[0].html and "儿童不能表达意见" in ctx.documents[0].html


def test_court_application_falls_to_civil_affairs_when_no_one_else_applies():
    base = {"child": REPORT["child"], "application_grounds": "殴打", "guardian_name": "刘某"}
    ctx = HandlerContext(1, "x", "guardianship_revocation", "申请", {**base, "other_applicant": "none"}, datetime.now(timezone.utc))
    assert dispatch("generate_court_application", ctx, {})["applicant"] == "civil_affairs"
    ctx = HandlerContext(1, "x", "guardianship_revocation", "申请", {
        **base, "other_applicant": "relative", "other_applicant_name": "外祖母", "procuratorate_action": "support_suit"},
        datetime.now(timezone.utc))
    result = dispatch("generate_court_application", ctx, {})
    assert result["applicant"] == "relative" and result["procuratorate_support"] is True
    ctx = HandlerContext(1, "x", "guardianship_revocation", "申请", {
        **base, "other_applicant": "relative", "other_applicant_name": "外祖母",
        "procuratorate_action": "recommend_civil_affairs", "document_number": "岳检建1号"}, datetime.now(timezone.utc))
    assert dispatch("generate_court_application", ctx, {})["applicant"] == "civil_affairs"
    assert "岳检建1号" in ctx.documents[0].html


# -- the diagrams ----------------------------------------------------------------------------
def test_diagrams_validate(runner):
    result = runner.invoke(args=["check", "processes/"])
    assert result.exit_code == 0, result.output


def test_lanes_name_the_eight_parties():
    from pathlib import Path

    from webapp.engine import Bundle
    bundle = Bundle.from_directory(Path(__file__).resolve().parents[1] / "processes")
    info = bundle.processes["guardianship_revocation"]
    routes = {lane.route for lane in info.lanes.values()}
    assert routes == {"village@village", "township@township", "police@township", "civil_affairs@county",
                      "protection_center@county", "welfare_institution@city", "procuratorate@county", "court@county"}
    assert info.startable_by == "any" and info.confidential_fields == ("reporter",)
    assert set(info.confidential_to) == {"police", "civil_affairs"}
    assert bundle.processes["guardianship_restoration"].startable_by == "handover"


def test_check_rejects_unknown_start_rules():
    from pathlib import Path

    from webapp.services.checks import check_files
    from webapp.services.forms import load_forms
    root = Path(__file__).resolve().parents[1]
    xml = (root / "processes" / "guardianship_restoration.bpmn").read_text(encoding="utf-8")
    bad = xml.replace('name="startableBy" value="handover"',
                      'name="startableBy" value="anyone"/><spiffworkflow:property name="confidentialTo" value="police,secret_service"')
    problems = [str(p) for p in check_files({"guardianship_restoration.bpmn": bad,
                                             "guardianship_assessment.bpmn": (root / "processes" / "guardianship_assessment.bpmn").read_text(encoding="utf-8")},
                                            load_forms(root / "forms"))]
    assert any("startableBy=anyone" in p for p in problems), problems
    assert any("secret_service" in p for p in problems), problems


def test_a_hand_over_without_a_capacity_assessment_is_assessed_first(app, api, db_session):
    """The psychological referral hands a child over with its own assessment, not a guardianship one."""
    from webapp.services import cases
    engine = app.extensions["tonghu.engine"]
    case = cases.start_scheduled(db_session, engine, "guardianship_revocation", "430104001001", {
        "child": REPORT["child"], "handed_over_from": "psych_referral", "risk_level": "high",
        "assessment_summary": "抑郁倾向，监护人拒绝转介"}, engine.clock.now())
    db_session.commit()
    assert [t.name for t in cases.open_tasks(db_session, case)] == ["decide_temporary_guardianship"]
    entry = [e for e in cases.file_entries(db_session, case.child) if e.title == "移交撤销监护人资格程序登记"][0]
    assert "心理健康转介程序" in entry.body and "心理危机风险等级" in entry.body
    complete(api(CIVIL), "decide_temporary_guardianship", {**TEMPORARY, "temporary_guardianship": False})
    assert only_task(api(TOWNSHIP), "township_home_investigation")["instance_id"] == case.id


def test_return_home_notifies_school_police_and_village(api):
    """Rejected -> fresh assessment -> the offices are told before the child goes home (hunan §六.3)."""
    report = start(api, "village.430104001001").get_json()
    _to_court(api, report)
    court = api(COURT)
    complete(court, "court_accept", {"court_case_number": "（2026）湘0104民特2号", "accepted_on": "2026-12-01"})
    complete(court, "court_rule", {"hearing_date": "2026-12-20", "child_can_express_view": False,
                                   "court_ruling": "rejected", "ruling_reasons": "证据不足"})
    for username in ("education.430104000000", POLICE, "village.430104001001"):
        assert api(username).get("/notifications").get_json() == [], username
    complete(api(TOWNSHIP), "township_home_investigation", {
        "guardian_name": "刘某", "guardian_relation": "parent", "health": "已戒毒", "income": "稳定", "living_conditions": "良好"})
    complete(api(CIVIL), "assess_capacity", capacity_assessment("insufficient", "需帮扶"))
    for username in ("education.430104000000", POLICE, "village.430104001001"):
        notices = api(username).get("/notifications").get_json()
        assert len(notices) == 1 and "小刚" in notices[0]["message"] and notices[0]["kind"] == "notice", username
    assert api("education.310104000000").get("/notifications").get_json() == []
    assert api("police.430104002000").get("/notifications").get_json() == []


def test_the_web_form_says_which_unit_to_choose_and_keeps_what_was_filled(api, report, browser):
    complete(api(POLICE), "police_handle_report", POLICE_HANDLING)
    task = only_task(api(CIVIL), "decide_temporary_guardianship")
    browser.sign_in(CIVIL)
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "负责体检的未成年人救助保护机构" in page and "岳麓区未成年人救助保护中心" in page
    response = browser.post(f"/tasks/{task['id']}", {
        "temporary_guardianship": "true", "guardianship_trigger": "abuse_removed", "placement": "kinship_care",
        "protection_order": "false", "decision_note": "由祖母临时照料，先行体检"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "请选择负责体检的未成年人救助保护机构" in text and "由祖母临时照料，先行体检" in text
    assert only_task(api(CIVIL), "decide_temporary_guardianship")["id"] == task["id"]
