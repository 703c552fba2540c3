"""Web UI: starting a case through its form, the case page, its documents and the child's file."""
import re

import pytest

from tests.helpers import CHOOSE_WELFARE, GUARDIAN, WELFARE_UNIT, agreement_draft, capacity_assessment

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
INSTITUTION = WELFARE_UNIT  # the chosen institution signs and admits

START_FORM = {
    "process": "entrustment_care", "region": "430104001001",
    "child.name": "小明", "child.id_number": "430104201501010015", "child.birth_date": "2015-01-01",
    "child.gender": "male", "category": "de_facto_unsupported", "reason": "父母外出务工，祖母年迈多病",
    "discovered_by": "monthly_contact",
}

SIGN = {"signed": True, "signatory": "签署人", "signed_on": "2026-01-10"}
STEPS = [  # (who, task, data): the entrustment procedure until the child is admitted
    (TOWNSHIP, "township_home_investigation", {"guardian_name": "王秀英", "guardian_relation": "grandparent",
                                               "health": "年迈多病", "income": "低保", "living_conditions": "祖孙同住"}),
    (CIVIL, "assess_capacity", capacity_assessment("insufficient", "监护能力不足")),
    (VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "祖母同意委托"}),
    (CIVIL, "choose_institution", CHOOSE_WELFARE),
    (CIVIL, "draft_agreement", agreement_draft(term_until="2033-01-01")),
    (VILLAGE, "sign_guardian", {**SIGN, "signatory": "王秀英"}),
    (VILLAGE, "sign_village", {**SIGN, "signatory": "村主任李"}),
    (TOWNSHIP, "sign_township", {**SIGN, "signatory": "街道主任赵"}),
    (INSTITUTION, "sign_institution", {**SIGN, "signatory": "院长周"}),
    (CIVIL, "sign_civil_affairs", {**SIGN, "signatory": "局长钱"}),
]


def task_id(api, username, name):
    tasks = [t for t in api(username).get("/tasks").get_json() if t["name"] == name]
    assert len(tasks) == 1, (name, tasks)
    return tasks[0]["id"]


def walk(api, steps):
    for username, name, data in steps:
        response = api(username).post(f"/tasks/{task_id(api, username, name)}/complete", {"data": data})
        assert response.status_code == 200, (name, response.get_json())


@pytest.fixture
def case_id(api, start_data):
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert response.status_code == 201
    return response.get_json()["id"]


def test_start_page_offers_procedures_places_and_the_start_form(browser):
    browser.sign_in("civil_affairs.430104000000")
    page = browser.get("/cases/new?process=entrustment_care")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "发起案件" in text
    # civil affairs of the district may open a case in each of its villages and communities
    for code in ("430104001001", "430104001002", "430104002001"):
        assert f'<option value="{code}"' in text
    assert "310104001001" not in text
    assert 'name="child.name"' in text and '<legend>儿童基本信息' in text
    assert 'name="child.birth_date" value=""' in text and 'type="date"' in text


def test_starting_a_case_via_the_form(browser, api):
    browser.sign_in(VILLAGE)
    page = browser.get("/cases/new?process=entrustment_care")
    assert re.findall(r'<option value="(\d{12})"', page.get_data(as_text=True)) == ["430104001001"]
    response = browser.post("/cases/new", START_FORM)
    assert response.status_code == 302
    case_id = int(re.search(r"/cases/(\d+)$", response.headers["Location"]).group(1))
    page = browser.get(f"/cases/{case_id}")
    text = page.get_data(as_text=True)
    assert "已立案" in text and "小明" in text and "办理中" in text
    assert "入户调查监护情况" in text and "望月湖街道办事处" in text  # where it is now
    assert api(TOWNSHIP).get("/tasks").get_json()[0]["instance_id"] == case_id


def test_start_form_errors_are_shown_beside_fields(browser):
    browser.sign_in(VILLAGE)
    browser.get("/cases/new?process=entrustment_care")
    page = browser.post("/cases/new", {**START_FORM, "child.id_number": "12345", "child.birth_date": ""})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert re.search(r'data-field="child.id_number">.*?value="12345".*?格式不正确', text, re.S)
    assert re.search(r'data-field="child.birth_date">.*?此项必填', text, re.S)
    assert 'value="小明"' in text and "父母外出务工，祖母年迈多病</textarea>" in text


def test_starting_where_the_office_may_not_is_refused(browser):
    browser.sign_in(VILLAGE)
    browser.get("/cases/new?process=entrustment_care")
    page = browser.post("/cases/new", {**START_FORM, "region": "430104002001"})
    assert page.status_code == 403
    assert "不能在该地区发起此流程" in page.get_data(as_text=True)


def test_case_page_shows_history_and_the_agreement_after_five_signatures(browser, api, case_id):
    walk(api, STEPS)
    browser.sign_in(CIVIL)
    page = browser.get(f"/cases/{case_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "五方委托照护协议（第 1 版）" in text and "办理中" in text
    # history: who, which office, what they recorded (with the form's titles)
    assert "<dt>监护人姓名</dt><dd>王秀英</dd>" in text
    assert "<dt>评估结论（监护风险等级）</dt><dd>监护能力不足</dd>" in text
    assert "<dt>是否签署</dt><dd>签署</dd>" in text and "院长周" in text
    assert ">长沙市儿童福利院</td>" in text  # the chosen institution itself signed (hunan §三.2)
    assert "岳麓区委托照护机构" not in text  # not the generic office
    # current position: the institution admits the child
    assert "接收儿童入住" in text
    # the agreement document, filed by the service task
    link = re.search(rf'href="(/cases/{case_id}/documents/\d+)">五方委托照护协议</a>', text)
    assert link, "no agreement document on the case page"
    document = browser.get(link.group(1))
    body = document.get_data(as_text=True)
    assert document.status_code == 200
    assert "<h1>五方委托照护协议</h1>" in body and "长沙市儿童福利院" in body and "局长钱" in body
    assert 'class="print"' in body


def test_finished_case_shows_its_end_event(browser, api, case_id):
    walk(api, STEPS + [
        (INSTITUTION, "admit_child", {"admitted_on": "2026-01-15", "care_plan": "日常照料与学业辅导"}),
        (CIVIL, "terminate_agreement", {"termination_reason": "capacity_restored", "terminated_on": "2027-01-01"}),
    ])
    assert api(CIVIL).get(f"/instances/{case_id}").get_json()["status"] == "completed"
    browser.sign_in(CIVIL)
    text = browser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "已办结" in text and "当前没有待办任务" in text
    end = api(CIVIL).get(f"/instances/{case_id}").get_json()["end_event"]
    assert end


def test_case_page_is_guarded(browser, case_id):
    browser.sign_in("civil_affairs.310104000000")
    page = browser.get(f"/cases/{case_id}")
    assert page.status_code == 403 and "无权查看该案件" in page.get_data(as_text=True)
    assert browser.get(f"/children/{case_id}").status_code == 403
    assert browser.get("/cases/424242").status_code == 404


def test_document_of_another_case_is_404(browser, api, case_id, start_data):
    walk(api, STEPS)
    other = {**start_data, "child": {**start_data["child"], "id_number": "430104201501010031", "name": "小红"}}
    other_id = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": other}).get_json()["id"]
    browser.sign_in(CIVIL)
    link = re.search(rf'/cases/{case_id}/documents/(\d+)', browser.get(f"/cases/{case_id}").get_data(as_text=True))
    assert browser.get(f"/cases/{other_id}/documents/{link.group(1)}").status_code == 404


def test_childs_file_lists_entries_across_procedures(browser, api, case_id):
    walk(api, STEPS[:2])
    child_id = api(VILLAGE).get(f"/instances/{case_id}").get_json()["child_id"]
    browser.sign_in(VILLAGE)
    case_page = browser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/children/{child_id}"' in case_page
    page = browser.get(f"/children/{child_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "儿童档案" in text
    assert "430104201501010015" in text
    assert "立案：五方委托照护协议" in text
    for step in api(VILLAGE).get(f"/instances/{case_id}").get_json()["history"]:
        assert step["title"] in text
    assert text.count('<tr class="entry-step">') == 2
