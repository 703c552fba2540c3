"""Web UI: the task list (routing, filters, claiming) and the task page (form, errors, completing)."""
import re

import pytest

from tests.conftest import later
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, WELFARE_UNIT, agreement_draft, capacity_assessment, only_task, start_entrustment_case

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保，收入不稳定", "living_conditions": "祖孙二人同住"}


@pytest.fixture
def case(api, start_data):
    return start_entrustment_case(api, start_data)


def task_id(api, username, name):
    return only_task(api(username), name)["id"]


def rows(page) -> list[str]:
    return re.findall(r'<tr data-task="(\d+)">', page.get_data(as_text=True))


def field(page, name) -> str:
    """The HTML of one rendered form field (its wrapper div)."""
    text = page.get_data(as_text=True)
    match = re.search(rf'<div class="field[^"]*" data-field="{re.escape(name)}">(.*?)</div>', text, re.S)
    assert match, f"no field {name}"
    return match.group(0)


# -- the list ------------------------------------------------------------------------------
def test_task_list_shows_the_office_tasks_with_their_columns(browser, case):
    browser.sign_in(TOWNSHIP)
    page = browser.get("/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "任务列表" in text
    assert len(rows(page)) == 1
    assert "入户调查监护情况" in text and "五方委托照护协议" in text and "小明" in text
    assert "望月湖街道 / 望月湖社区" in text and "未认领" in text


def test_village_of_another_township_sees_nothing(browser, case):
    browser.sign_in("village.430104002001")
    page = browser.get("/")
    assert rows(page) == []
    assert "没有符合条件的待办任务" in page.get_data(as_text=True)


def test_other_department_of_the_same_place_sees_nothing(browser, case):
    browser.sign_in("police.430104001000")
    assert rows(browser.get("/")) == []


def test_supervisor_sees_township_tasks_of_the_county(browser, api, case):
    browser.sign_in("supervisor.civil_affairs.430104000000")
    assert rows(browser.get("/")) == []  # the investigation is the township's, not civil affairs'
    api(TOWNSHIP).post(f"/tasks/{task_id(api, TOWNSHIP, 'township_home_investigation')}/complete", {"data": INVESTIGATION})
    assert len(rows(browser.get("/"))) == 1
    browser.post("/logout")
    browser.sign_in("supervisor.township.430104001000")
    assert rows(browser.get("/")) == []  # township supervisor: the case moved to civil affairs


def test_supervisor_sees_tasks_of_a_township_office_in_jurisdiction(browser, case):
    browser.sign_in("supervisor.township.430104001000")
    page = browser.get("/")
    assert len(rows(page)) == 1
    assert "主管" in page.get_data(as_text=True)


def test_task_list_never_loads_a_workflow(browser, app, case, monkeypatch):
    browser.sign_in(TOWNSHIP)

    def refuse(*args, **kwargs):
        raise AssertionError("the task list deserialised a workflow")
    monkeypatch.setattr(app.extensions["tonghu.engine"], "loads", refuse)
    assert len(rows(browser.get("/"))) == 1


def test_filters_and_sorting(browser, api, start_data, case, clock):
    second = {**start_data, "child": {**start_data["child"], "name": "小红", "id_number": "430104201501010023", "gender": "female"}}
    later(clock, 3)
    assert api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": second}).status_code == 201
    browser.sign_in(TOWNSHIP)
    first_id, second_id = sorted(t["id"] for t in api(TOWNSHIP).get("/tasks").get_json())
    assert rows(browser.get("/")) == [str(first_id), str(second_id)]  # by due, soonest first
    assert rows(browser.get("/?sort=-due")) == [str(second_id), str(first_id)]
    assert rows(browser.get("/?sort=-since")) == [str(second_id), str(first_id)]
    assert len(rows(browser.get("/?process=entrustment_care"))) == 2
    assert rows(browser.get("/?process=psych_referral")) == []
    browser.post(f"/tasks/{first_id}/claim")
    assert rows(browser.get("/?show=mine")) == [str(first_id)]
    assert rows(browser.get("/?show=unclaimed")) == [str(second_id)]
    assert len(rows(browser.get("/?show=all"))) == 2
    assert rows(browser.get("/?overdue=1")) == []
    later(clock, 5)  # the first is due after 7 days, the second 3 days later
    page = browser.get("/?overdue=1")
    assert rows(page) == [str(first_id)]
    assert 'class="overdue"' in page.get_data(as_text=True)


def test_claim_and_release_inline(browser, api, case):
    browser.sign_in(TOWNSHIP)
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.get("/")
    response = browser.post(f"/tasks/{tid}/claim", {"next": "/?show=all"})
    assert response.status_code == 302 and response.headers["Location"] == "/?show=all"
    page = browser.get("/")
    text = page.get_data(as_text=True)
    assert "已认领该任务" in text
    assert f'/tasks/{tid}/release' in text and "望月湖街道办事处" in text
    assert api(TOWNSHIP).get(f"/tasks/{tid}").get_json()["claimed_by"] == TOWNSHIP
    response = browser.post(f"/tasks/{tid}/release", {"next": "https://evil.example/"})
    assert response.headers["Location"] == f"/tasks/{tid}"  # foreign targets are ignored
    assert api(TOWNSHIP).get(f"/tasks/{tid}").get_json()["claimed_by"] is None


def test_claim_held_by_someone_else_is_refused(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    api("supervisor.township.430104001000").post(f"/tasks/{tid}/claim")
    browser.sign_in(TOWNSHIP)
    browser.post(f"/tasks/{tid}/claim")
    text = browser.get("/").get_data(as_text=True)
    assert "已由望月湖街道办事处主管认领" in text


def test_supervisor_reassigns(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in("supervisor.township.430104001000")
    page = browser.get(f"/tasks/{tid}")
    text = page.get_data(as_text=True)
    assert f"/tasks/{tid}/reassign" in text
    # People by name and office, never by username (issue 17): the official is named like its office.
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', text)
    assert ("望月湖街道办事处主管 · 望月湖街道办事处" in [label for _id, label in options])
    assert not any("township." in label for _id, label in options)
    option = re.search(r'<option value="(\d+)"[^>]*>望月湖街道办事处</option>', text)
    browser.post(f"/tasks/{tid}/reassign", {"user_id": option.group(1)})
    assert api(TOWNSHIP).get(f"/tasks/{tid}").get_json()["claimed_by"] == TOWNSHIP
    assert "已改派该任务" in browser.get(f"/tasks/{tid}").get_data(as_text=True)


def test_officials_get_no_reassign_form(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in(TOWNSHIP)
    assert "/reassign" not in browser.get(f"/tasks/{tid}").get_data(as_text=True)


# -- the task page ---------------------------------------------------------------------------
def test_task_page_explains_the_route_and_renders_the_form(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in(TOWNSHIP)
    page = browser.get(f"/tasks/{tid}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "为何由本单位办理" in text and "案件所在地为湖南省长沙市岳麓区望月湖街道望月湖社区" in text
    assert f'href="/cases/{case["id"]}"' in text
    assert 'name="guardian_name"' in text
    assert re.search(r'<select id="f-guardian_relation" name="guardian_relation">.*?<option value="grandparent">祖父母/外祖父母</option>', text, re.S)
    assert re.search(r'<textarea id="f-health" name="health"', text)
    assert "监护人姓名<abbr class=\"req\"" in text


def test_task_page_shows_earlier_steps_with_field_titles(browser, api, case):
    api(TOWNSHIP).post(f"/tasks/{task_id(api, TOWNSHIP, 'township_home_investigation')}/complete", {"data": INVESTIGATION})
    tid = task_id(api, CIVIL, "assess_capacity")
    browser.sign_in(CIVIL)
    text = browser.get(f"/tasks/{tid}").get_data(as_text=True)
    assert "入户调查监护情况" in text
    assert "<dt>监护人姓名</dt><dd>王秀英</dd>" in text
    assert "<dt>与儿童关系</dt><dd>祖父母/外祖父母</dd>" in text  # enum shown by its title
    assert "望月湖街道办事处" in text  # who / which office recorded it
    # the assessment form: enum select labelled by x-enum-titles, the form's description
    assert '<option value="severe_risk">存在严重监护风险</option>' in text
    assert "依据湖南" in text


def test_boolean_and_const_fields(browser, api, case):
    """Radio buttons labelled by x-labels; a const-true boolean is one checkbox."""
    api(TOWNSHIP).post(f"/tasks/{task_id(api, TOWNSHIP, 'township_home_investigation')}/complete", {"data": INVESTIGATION})
    api(CIVIL).post(f"/tasks/{task_id(api, CIVIL, 'assess_capacity')}/complete",
                    {"data": capacity_assessment("insufficient", "监护能力不足")})
    browser.sign_in(VILLAGE)
    page = browser.get(f"/tasks/{task_id(api, VILLAGE, 'record_guardian_consent')}")
    html = field(page, "guardian_consents")
    assert 'type="radio" name="guardian_consents" value="true"> 同意' in html
    assert 'type="radio" name="guardian_consents" value="false"> 不同意' in html
    api(VILLAGE).post(f"/tasks/{task_id(api, VILLAGE, 'record_guardian_consent')}/complete",
                      {"data": {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}})
    api(CIVIL).post(f"/tasks/{task_id(api, CIVIL, 'choose_institution')}/complete",
                    {"data": CHOOSE_WELFARE})
    browser.post("/logout")
    browser.sign_in(CIVIL)
    page = browser.get(f"/tasks/{task_id(api, CIVIL, 'draft_agreement')}")
    html = field(page, "keeps_household_registration")
    assert 'type="checkbox"' in html and 'value="true"' in html and "儿童保留原户籍" in html
    assert 'type="date"' in field(page, "term_until")


def test_bad_field_gives_422_with_message_beside_it_and_input_kept(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in(TOWNSHIP)
    browser.get(f"/tasks/{tid}")
    data = {**INVESTIGATION, "guardian_relation": "neighbour", "health": ""}
    page = browser.post(f"/tasks/{tid}", data)
    assert page.status_code == 422
    assert "请从给定选项中选择" in field(page, "guardian_relation")
    assert "此项必填" in field(page, "health")
    assert 'value="王秀英"' in field(page, "guardian_name")
    assert "低保，收入不稳定</textarea>" in field(page, "income")
    assert "has-error" not in field(page, "guardian_name")
    assert api(TOWNSHIP).get(f"/tasks/{tid}").get_json()["state"] == "open"


def test_completing_moves_the_case_to_the_next_office(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in(TOWNSHIP)
    browser.get(f"/tasks/{tid}")
    response = browser.post(f"/tasks/{tid}", INVESTIGATION)
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case['id']}"
    page = browser.get(response.headers["Location"])
    assert "已办结" in page.get_data(as_text=True)
    assert rows(browser.get("/")) == []
    browser.post("/logout")
    browser.sign_in(CIVIL)
    page = browser.get("/")
    [assessment] = api(CIVIL).get("/tasks").get_json()
    assert assessment["name"] == "assess_capacity"
    assert rows(page) == [str(assessment["id"])]
    assert assessment["title"] in page.get_data(as_text=True)


SIGNERS = {"sign_guardian": VILLAGE, "sign_village": VILLAGE, "sign_township": TOWNSHIP,
           "sign_institution": WELFARE_UNIT, "sign_civil_affairs": CIVIL}


def _signing_round(api, refused_by: str):
    """One round of the five signatures, `refused_by` refusing. A refusing guardian must say whether
    the child is in danger (E10, hunan §六.4): not in danger, so the agreement goes to mediation."""
    for name, username in SIGNERS.items():
        data = {"signed": name != refused_by, "signatory": f"{name} 签署人", "signed_on": "2026-11-20"}
        if name == refused_by == "sign_guardian":
            data["child_in_danger"] = False
        response = api(username).post(f"/tasks/{task_id(api, username, name)}/complete", {"data": data})
        assert response.status_code == 200, (name, response.get_json())


def test_prefill_from_task_data_on_the_form(browser, api, case):
    """A form field the workflow already holds is prefilled (the task's current data): the second
    mediation of a refused agreement opens with what the first one recorded."""
    api(TOWNSHIP).post(f"/tasks/{task_id(api, TOWNSHIP, 'township_home_investigation')}/complete", {"data": INVESTIGATION})
    api(CIVIL).post(f"/tasks/{task_id(api, CIVIL, 'assess_capacity')}/complete",
                    {"data": capacity_assessment("insufficient", "监护能力不足")})
    api(VILLAGE).post(f"/tasks/{task_id(api, VILLAGE, 'record_guardian_consent')}/complete",
                      {"data": {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}})
    api(CIVIL).post(f"/tasks/{task_id(api, CIVIL, 'choose_institution')}/complete",
                    {"data": CHOOSE_WELFARE})
    api(CIVIL).post(f"/tasks/{task_id(api, CIVIL, 'draft_agreement')}/complete", {"data": agreement_draft(term_until="2033-01-01")})
    browser.sign_in(VILLAGE)
    # signing tasks read `signed`: no earlier value, so the radio is not preselected
    page = browser.get(f"/tasks/{task_id(api, VILLAGE, 'sign_village')}")
    assert "checked" not in field(page, "signed")
    _signing_round(api, refused_by="sign_township")
    api(CIVIL).post(f"/tasks/{task_id(api, CIVIL, 'mediate_signing')}/complete",
                    {"data": {"mediation_outcome": "restart", "mediation_note": "已与乡镇协商回访频次"}})
    _signing_round(api, refused_by="sign_guardian")
    browser.post("/logout")
    browser.sign_in(CIVIL)
    page = browser.get(f"/tasks/{task_id(api, CIVIL, 'mediate_signing')}")
    assert "已与乡镇协商回访频次" in field(page, "mediation_note")
    assert '<option value="restart" selected>' in field(page, "mediation_outcome")


def test_other_department_gets_403_on_page_and_post(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in("police.430104001000")
    page = browser.get(f"/tasks/{tid}")
    assert page.status_code == 403
    assert "该任务不属于您所在的单位" in page.get_data(as_text=True)
    assert browser.post(f"/tasks/{tid}", INVESTIGATION).status_code == 403
    assert browser.post(f"/tasks/{tid}/claim").status_code == 403
    assert api(TOWNSHIP).get(f"/tasks/{tid}").get_json()["state"] == "open"


def test_second_completion_gives_409_naming_who_completed(browser, api, case):
    tid = task_id(api, TOWNSHIP, "township_home_investigation")
    browser.sign_in("supervisor.township.430104001000")
    browser.get(f"/tasks/{tid}")  # the supervisor opens the page ...
    assert api(TOWNSHIP).post(f"/tasks/{tid}/complete", {"data": INVESTIGATION}).status_code == 200  # ... someone is faster
    page = browser.post(f"/tasks/{tid}", INVESTIGATION)
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert "该任务已由望月湖街道办事处于" in text and "办结" in text
    assert 'action="/tasks/%d"' % tid not in text  # no form on a completed task
