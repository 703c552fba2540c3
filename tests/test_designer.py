"""The process designer's server side: catalog, drafts, validation, deploy, versions, difference,
forms, permissions, and the case diagram's data (the browser itself: tests/browser/)."""
import json
import re
from pathlib import Path

import pytest

from webapp.services import checks, designs
from webapp.services.forms import load_forms

DESIGNER = "designer"
VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
MAIN = "entrustment_care.bpmn"
CALLED = "guardianship_assessment.bpmn"


class Designer:
    """A logged-in web session that speaks the modeler page's JSON (CSRF header included)."""

    def __init__(self, browser, username=DESIGNER):
        self.browser = browser
        browser.sign_in(username)
        self.page = browser.get("/designer/procedures/entrustment_care/edit")

    def get(self, path):
        return self.browser.client.get(path, headers={"Accept": "application/json"})

    def post(self, path, body):
        return self.browser.client.post(path, json=body, headers={"X-CSRFToken": self.browser.csrf_token,
                                                                  "Accept": "application/json"})

    def files(self):
        answer = self.get("/designer/procedures/entrustment_care/files")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return {f["filename"]: f for f in answer.get_json()["files"]}


@pytest.fixture
def designer(browser):
    return Designer(browser)


@pytest.fixture
def xml(app):
    with app.app_context():
        from webapp.db import session
        from webapp.services import definitions
        files = definitions.latest(session(), "entrustment_care").files
    return dict(files)


def start_case(api, start_data):
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def rename(text, element, new_name):
    result, n = re.subn(rf'(id="{element}" name=")[^"]*(")', rf"\g<1>{new_name}\g<2>", text, count=1)
    assert n == 1
    return result


def set_department(text, lane, department):
    start = text.index(f'<bpmn:lane id="{lane}"')
    end = text.index("</bpmn:lane>", start)
    part = re.sub(r'name="department" value="[^"]*"', f'name="department" value="{department}"', text[start:end])
    return text[:start] + part + text[end:]


# -- the catalog and permissions ---------------------------------------------------------------
def test_catalog_lists_departments_levels_forms_and_handlers_with_parameters(designer):
    catalog = designer.get("/designer/catalog.json").get_json()
    departments = {d["code"]: d for d in catalog["departments"]}
    assert departments["court"]["levels"] == ["county"] and departments["court"]["name"] == "人民法院"
    assert [lvl["code"] for lvl in catalog["levels"]] == ["province", "city", "county", "township", "village"]
    assert {"name": "assess_capacity.json", "title": "家庭监护能力评估"} in catalog["forms"]
    handlers = {h["name"]: h for h in catalog["handlers"]}
    assert handlers["start_procedure"]["parameters"] == [
        {"name": "process_id", "type": "str", "required": True}, {"name": "carry", "type": "str", "required": False}]


def test_officials_may_not_open_or_change_the_designer(browser, xml):
    browser.sign_in(CIVIL)
    assert browser.get("/designer/").status_code == 403
    assert browser.get("/designer/procedures/entrustment_care/edit").status_code == 403
    assert browser.client.get("/designer/catalog.json", headers={"Accept": "application/json"}).status_code == 403
    response = browser.client.post("/designer/procedures/entrustment_care/deploy", json={"files": xml},
                                   headers={"X-CSRFToken": browser.csrf_token, "Accept": "application/json"})
    assert response.status_code == 403
    assert "只有流程设计员" in response.get_json()["error"]


def test_json_posts_need_the_csrf_token(designer, xml):
    response = designer.browser.client.post("/designer/procedures/entrustment_care/drafts",
                                            json={"file": MAIN, "xml": xml[MAIN]})
    assert response.status_code == 400


def test_designers_see_procedures_but_not_childrens_cases(designer, api, start_data):
    case_id = start_case(api, start_data)
    page = designer.browser.get("/designer/")
    assert page.status_code == 200 and "五方委托照护协议" in page.get_data(as_text=True)
    assert "小明" not in designer.browser.get("/designer/procedures/entrustment_care").get_data(as_text=True)
    assert designer.browser.get(f"/cases/{case_id}/diagram").status_code == 403
    assert designer.get(f"/cases/{case_id}/diagram.json").status_code == 403
    assert designer.browser.get(f"/cases/{case_id}").status_code == 403


# -- drafts ------------------------------------------------------------------------------------
def test_a_saved_draft_is_what_the_designer_opens_next(designer, xml):
    changed = rename(xml[CALLED], "township_home_investigation", "入户调查（新）")
    response = designer.post("/designer/procedures/entrustment_care/drafts", {"file": CALLED, "xml": changed})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["draft"]["revision"] == 1
    files = designer.files()
    assert files[CALLED]["draft"]["updated_by"] == "流程设计员" and "入户调查（新）" in files[CALLED]["xml"]
    assert files[MAIN]["draft"] is None and files[MAIN]["main"] and not files[CALLED]["main"]
    stale = designer.post("/designer/procedures/entrustment_care/drafts", {"file": CALLED, "xml": changed, "revision": 0})
    assert stale.status_code == 409 and "另行保存" in stale.get_json()["error"]
    assert designer.post("/designer/procedures/entrustment_care/drafts",
                         {"file": CALLED, "xml": changed, "revision": 1}).get_json()["draft"]["revision"] == 2
    discarded = designer.post("/designer/procedures/entrustment_care/drafts/discard", {"file": CALLED})
    assert discarded.get_json()["xml"] == xml[CALLED]
    assert designer.files()[CALLED]["draft"] is None


def test_a_draft_may_not_change_the_process_id_or_be_another_procedures_file(designer, xml):
    renamed = xml[MAIN].replace('<bpmn:process id="entrustment_care"', '<bpmn:process id="other_care"')
    response = designer.post("/designer/procedures/entrustment_care/drafts", {"file": MAIN, "xml": renamed})
    assert response.status_code == 422 and "流程标识" in response.get_json()["error"]
    response = designer.post("/designer/procedures/entrustment_care/drafts", {"file": "x.bpmn", "xml": xml[MAIN]})
    assert response.status_code == 422
    response = designer.post("/designer/procedures/entrustment_care/drafts", {"file": MAIN, "xml": "<not xml"})
    assert response.status_code == 422


# -- validation ----------------------------------------------------------------------------
def test_validation_names_the_lane_with_an_unknown_department(designer, xml):
    bad = set_department(xml[MAIN], "lane_care_institution", "orphanage")
    problems = designer.post("/designer/procedures/entrustment_care/check", {"files": {MAIN: bad}}).get_json()["problems"]
    assert {"file": MAIN, "element": "sign_institution",
            "message": "泳道“委托照护机构”的部门“orphanage”不是已知部门"} in problems
    ok = designer.post("/designer/procedures/entrustment_care/check", {"files": {MAIN: xml[MAIN]}}).get_json()
    assert ok["problems"] == []


def test_validation_lists_missing_forms_handlers_defaults_and_unknown_variables(designer, xml):
    bad = xml[MAIN].replace('value="admit_child.json"', 'value="no_such_form.json"')
    bad = bad.replace('id="generate_agreement_document"', 'id="no_such_handler"')
    bad = bad.replace(' default="flow_consent_refused"', "")
    bad = bad.replace("mediation_outcome == 'restart'", "mediation_result == 'restart'")
    problems = designer.post("/designer/procedures/entrustment_care/check", {"files": {MAIN: bad}}).get_json()["problems"]
    by_element = {p["element"]: p["message"] for p in problems}
    assert "forms/no_such_form.json 不存在" in by_element["admit_child"]
    assert "no_such_handler" in by_element["generate_agreement"] and "未注册" in by_element["generate_agreement"]
    assert "既无条件也不是默认分支" in by_element["flow_consent_refused"]
    assert "未知变量：mediation_result" in by_element["flow_mediation_restart"]


def test_known_variables_come_from_forms_scripts_results_and_called_processes():
    files = {p.name: p.read_text(encoding="utf-8") for p in __import__("pathlib").Path("processes").glob("*.bpmn")}
    from webapp.engine import Bundle
    from webapp.config import Config
    bundle = Bundle(files)
    known = checks.known_variables(bundle, "entrustment_care", load_forms(Config.FORMS_DIR))
    assert {"guardianship_capacity", "guardian_consents", "mediation_outcome", "signature_guardian",
            "agreement_document", "child"} <= known
    assert checks.expression_names("all(p['signed'] for p in (a, b)) and len(x) > 0 and y is None") == {"a", "b", "x", "y"}
    assert checks.script_assignments("s = dict(a=1)\nt, u = 1, 2") == {"s", "t", "u"}


def test_tonghu_check_reports_an_unknown_variable(runner, tmp_path):
    from pathlib import Path
    for name in ("entrustment_care.bpmn", "guardianship_assessment.bpmn"):
        text = Path("processes", name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("guardian_consents == True", "guardian_agrees == True"), encoding="utf-8")
    result = runner.invoke(args=["check", str(tmp_path)])
    assert result.exit_code != 0
    assert "[flow_consent_given]" in result.output and "guardian_agrees" in result.output


# -- deploy, versions, difference ------------------------------------------------------------
def test_deploy_makes_a_new_version_new_cases_use_it_running_cases_keep_theirs(designer, xml, api, start_data):
    old_case = start_case(api, start_data)
    changed = rename(xml[CALLED], "township_home_investigation", "入户调查监护情况（第二版）")
    refused = designer.post("/designer/procedures/entrustment_care/deploy",
                            {"files": {CALLED: changed, MAIN: set_department(xml[MAIN], "lane_village", "nobody")}})
    assert refused.status_code == 422 and refused.get_json()["problems"]
    answer = designer.post("/designer/procedures/entrustment_care/deploy", {"files": {CALLED: changed}, "note": "改名"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["deployed"][0]["version"] == 2

    new_case = start_case(api, {**start_data, "child": {**start_data["child"], "id_number": "430104201501010031"}})
    township = api(TOWNSHIP)
    assert township.get(f"/instances/{old_case}").get_json()["version"] == 1
    assert township.get(f"/instances/{new_case}").get_json()["version"] == 2
    titles = {t["instance_id"]: t["title"] for t in township.get("/tasks").get_json()}
    assert titles == {old_case: "入户调查监护情况", new_case: "入户调查监护情况（第二版）"}
    old_task = next(t["id"] for t in township.get("/tasks").get_json() if t["instance_id"] == old_case)
    done = township.post(f"/tasks/{old_task}/complete", {"data": {
        "guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病", "income": "低保",
        "living_conditions": "祖孙二人同住"}})
    assert done.status_code == 200, done.get_json()
    assert api(CIVIL).get(f"/instances/{old_case}").get_json()["version"] == 1

    page = designer.browser.get("/designer/procedures/entrustment_care").get_data(as_text=True)
    v2 = re.search(r'<tr data-version="2">(.*?)</tr>', page, re.S).group(1)
    v1 = re.search(r'<tr data-version="1">(.*?)</tr>', page, re.S).group(1)
    assert "流程设计员" in v2 and "改名" in v2 and '<td class="running">1</td>' in v2
    assert '<td class="running">1</td>' in v1 and "命令行" in v1

    diff = designer.browser.get("/designer/procedures/entrustment_care/diff?from=1&to=2").get_data(as_text=True)
    assert 'data-element="township_home_investigation" data-kind="changed"' in diff
    assert "<del>入户调查监护情况</del>" in diff and "<ins>入户调查监护情况（第二版）</ins>" in diff


def test_difference_lists_added_removed_and_changed_elements(app, xml):
    from webapp.models import ProcessDefinition
    old = ProcessDefinition(process_id="p", version=1, files=dict(xml), forms={"a.json": {"title": "甲", "properties": {"x": {}}}})
    new_main = xml[MAIN].replace('<spiffworkflow:property name="dueIn" value="P30D"/>', '<spiffworkflow:property name="dueIn" value="P10D"/>')
    new_main = set_department(new_main, "lane_care_institution", "welfare_institution")
    new_main = new_main.replace('<bpmn:endEvent id="end_not_agreed" name="委托未达成">',
                                '<bpmn:endEvent id="end_given_up" name="放弃委托">')
    new = ProcessDefinition(process_id="p", version=2, files={**xml, MAIN: new_main},
                            forms={"a.json": {"title": "甲", "properties": {"y": {}}}, "b.json": {"title": "乙"}})
    changes = {(c.kind, c.element): c for c in designs.diff(old, new)}
    assert ("dueIn", "P30D", "P10D") in changes[("changed", "ordinary_support")].details
    assert ("route", "care_institution@county", "welfare_institution@county") in changes[("changed", "lane_care_institution")].details
    assert ("removed", "end_not_agreed") in changes and ("added", "end_given_up") in changes
    assert ("fields", "x", "y") in changes[("changed", "a.json")].details and ("added", "b.json") in changes


# -- forms ----------------------------------------------------------------------------------
def test_forms_are_validated_before_saving_and_previewed_as_officials_see_them(designer):
    browser = designer.browser
    page = browser.get("/designer/forms/admit_child.json")
    assert page.status_code == 200 and "admit_child.json" in page.get_data(as_text=True)
    schema = json.loads(Path("forms/admit_child.json").read_text(encoding="utf-8"))
    schema["properties"]["room"] = {"type": "string", "title": "房间号"}
    preview = browser.client.post("/designer/forms/admit_child.json/preview", data={
        "schema": json.dumps(schema, ensure_ascii=False), "csrf_token": browser.csrf_token})
    assert preview.get_json()["problems"] == [] and 'data-field="room"' in preview.get_json()["html"]
    assert "房间号" in preview.get_json()["html"]
    broken = browser.client.post("/designer/forms/admit_child.json/preview", data={
        "schema": '{"type": "object", "properties": {"x": {"type": "strin"}}}', "csrf_token": browser.csrf_token})
    assert any("不是有效的 JSON Schema" in p for p in broken.get_json()["problems"])
    assert any("缺少中文标题" in p for p in broken.get_json()["problems"])
    refused = browser.post("/designer/forms/admit_child.json", {"schema": "{not json"})
    assert refused.status_code == 422 and "不是有效的 JSON" in refused.get_data(as_text=True)
    saved = browser.post("/designer/forms/admit_child.json", {"schema": json.dumps(schema, ensure_ascii=False)})
    assert saved.status_code == 302
    assert "房间号" in browser.get("/designer/forms/admit_child.json").get_data(as_text=True)
    assert "仍是旧表单" in browser.get("/designer/forms/admit_child.json").get_data(as_text=True)
    redeployed = browser.post("/designer/procedures/entrustment_care/redeploy", {"note": "接收表单加房间号"})
    assert redeployed.status_code == 302
    assert "第 2 版" in browser.get("/designer/procedures/entrustment_care").get_data(as_text=True)
    catalog = designer.get("/designer/catalog.json").get_json()
    assert any(f["name"] == "admit_child.json" for f in catalog["forms"])


# -- the case diagram ------------------------------------------------------------------------
def test_case_diagram_marks_done_and_current_steps_with_the_responsible_office(browser, api, start_data):
    case_id = start_case(api, start_data)
    township = api(TOWNSHIP)
    task = township.get("/tasks").get_json()[0]
    township.post(f"/tasks/{task['id']}/complete", {"data": {
        "guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病", "income": "低保",
        "living_conditions": "祖孙二人同住"}})
    browser.sign_in(CIVIL)
    page = browser.get(f"/cases/{case_id}/diagram")
    assert page.status_code == 200 and "家庭监护能力评估" in page.get_data(as_text=True)
    data = browser.client.get(f"/cases/{case_id}/diagram.json").get_json()
    main, called = data["diagrams"]
    assert main["file"] == MAIN and main["main"] and called["file"] == CALLED
    assert "report_received" in main["completed"]
    assert [t["id"] for t in main["open"]] == ["assess_guardianship"]
    assert called["completed"] == ["assessment_start", "township_home_investigation"]
    assert [(t["id"], t["office"]) for t in called["open"]] == [("assess_capacity", "岳麓区民政局")]
    assert called["lanes"]["lane_township"] == "望月湖街道办事处"
    other = browser.client.get("/cases/999/diagram.json")
    assert other.status_code == 404


def test_officials_of_other_places_may_not_see_the_diagram(browser, api, start_data):
    case_id = start_case(api, start_data)
    browser.sign_in("civil_affairs.310104000000")
    assert browser.get(f"/cases/{case_id}/diagram").status_code == 403
