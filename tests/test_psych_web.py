"""The psychological health referral through the web UI and through the JSON API."""
import re
from datetime import timedelta

from .test_psych_privacy import api, complete, task_id  # noqa: F401  (api: one login per user)

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
SCHOOL = "education.430104000000"
PSYCH_SERVICE = "psych_service.430104000000"
HEALTH = "health.430104000000"
CHILD = {"name": "小雨", "id_number": "430104201301010045", "birth_date": "2013-01-01", "gender": "female"}
NO_SIGNS = {"sign_study_pressure": False, "sign_family_change": False, "sign_economic_hardship": False,
            "sign_behaviour": False}


def test_through_the_web_ui_from_the_visit_to_the_crisis_referral(browser, api):
    browser.sign_in(VILLAGE)
    page = browser.get("/cases/new?process=psych_referral")
    assert page.status_code == 200 and 'name="monitoring_source"' in page.get_data(as_text=True)
    response = browser.post("/cases/new", {
        "process": "psych_referral", "region": "430104001001", "child.name": CHILD["name"],
        "child.id_number": CHILD["id_number"], "child.birth_date": CHILD["birth_date"], "child.gender": "female",
        "monitoring_source": "monthly_contact", "reason": "每月联系：父母离异后沉默寡言"})
    assert response.status_code == 302, response.get_data(as_text=True)
    case_id = int(re.search(r"/cases/(\d+)$", response.headers["Location"]).group(1))
    assert "记录联系走访情况" in browser.get(f"/cases/{case_id}").get_data(as_text=True)

    # the child director records the visit on the task page: booleans come as "true"/"false"
    page = browser.post(f"/tasks/{task_id(api, VILLAGE, 'record_contact')}", {
        "contact_date": "2026-11-02", "sign_study_pressure": "false", "sign_family_change": "true",
        "sign_economic_hardship": "false", "sign_behaviour": "true", "observations": "手臂有划痕"})
    assert page.status_code == 302

    # the supervisor's screening: "needs assessment" without saying by whom is refused beside the field
    browser.sign_in(TOWNSHIP)
    screening = task_id(api, TOWNSHIP, "screen_psych")
    page = browser.post(f"/tasks/{screening}", {"screening_result": "concern", "screening_note": "需要评估"})
    assert page.status_code == 422
    assert re.search(r'data-field="assessor">.*?此项必填', page.get_data(as_text=True), re.S)
    assert browser.post(f"/tasks/{screening}", {"screening_result": "concern", "assessor": "school",
                                                "screening_note": "需要评估"}).status_code == 302

    browser.sign_in(SCHOOL)
    assessment = task_id(api, SCHOOL, "assess_at_school")
    assert "有自伤自杀计划或行为" in browser.get(f"/tasks/{assessment}").get_data(as_text=True)
    page = browser.post(f"/tasks/{assessment}", {
        "assessed_on": "2026-11-06", "assessment_method": "SDQ", "self_harm_risk": "plan_or_attempt",
        "harm_to_others": "false", "symptom_severity": "severe", "functional_impairment": "true",
        "assessment_summary": "有自伤行为"})
    assert page.status_code == 302

    browser.sign_in(HEALTH)  # the hospital now holds a task of the case and may read it
    text = browser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "危机接诊（立即）" in text and "立即告知监护人" in text
    assert "心理健康评估分类台账：危机（红）" in text and "心理健康转介单" in text


def test_through_the_api_from_the_visit_to_closing_when_stable(api, clock, runner):
    response = api(VILLAGE).post("/processes/psych_referral/instances", {"region": "430104001001", "data": {
        "child": CHILD, "monitoring_source": "quarterly_visit", "reason": "季度走访"}})
    assert response.status_code == 201
    case_id = response.get_json()["id"]
    complete(api, VILLAGE, "record_contact", {**NO_SIGNS, "sign_study_pressure": True,
                                              "contact_date": "2026-11-02", "observations": "学业压力大"})
    complete(api, TOWNSHIP, "screen_psych", {"screening_result": "concern", "assessor": "psych_service",
                                             "screening_note": "需要评估"})
    complete(api, PSYCH_SERVICE, "assess_by_service", {
        "assessed_on": "2026-11-06", "assessment_method": "访谈", "self_harm_risk": "none", "harm_to_others": False,
        "symptom_severity": "mild", "functional_impairment": False, "assessment_summary": "轻度"})
    instance = complete(api, TOWNSHIP, "care_at_station", {"carer": "关爱服务站刘老师", "care_started_on": "2026-11-10",
                                                           "care_measures": "每周谈心"})
    assert instance["open_tasks"] == [] and instance["status"] == "running"  # waiting a month for the visits

    moment = (clock.now() + timedelta(days=31)).isoformat()
    assert runner.invoke(args=["timers", "fire", "--as-of", moment]).exit_code == 0
    visit = {"visited_on": "2026-12-12", "mental_state": "good", "observations": "情绪平稳"}
    complete(api, SCHOOL, "follow_up_teacher", visit)
    complete(api, VILLAGE, "follow_up_village", visit)
    complete(api, PSYCH_SERVICE, "follow_up_social_worker", visit)
    instance = complete(api, TOWNSHIP, "review_follow_up", {"stable": True, "review_note": "三方随访均稳定"})
    assert instance["status"] == "completed" and instance["end_event"] == "end_stable"
    history = [h["name"] for h in api(TOWNSHIP).get(f"/instances/{case_id}").get_json()["history"]]
    assert history[-4:] == ["follow_up_teacher", "follow_up_village", "follow_up_social_worker", "review_follow_up"]
