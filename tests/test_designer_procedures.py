"""New procedures from the browser (blank template, copy), their ids, deleting an undeployed one,
retiring (no new cases, running ones continue) — through the designer's pages and JSON, the API."""
import json

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry, Draft, ProcedureState, ProcessDefinition

DESIGNER = "designer"
VILLAGE = "village.430104001001"
CIVIL = "civil_affairs.430104000000"
CHILD = {"name": "小红", "id_number": "430104201601010020", "birth_date": "2016-01-01", "gender": "female"}
NEW_ID = "school_dropout_help"
VISIT_FORM = {"title": "入户劝返记录", "type": "object", "required": ["outcome"],
              "properties": {"outcome": {"type": "string", "title": "劝返结果", "enum": ["back", "not_back"],
                                         "x-enum-titles": ["已返校", "未返校"]}}}
USER_TASK = """<bpmn:userTask id="home_visit" name="入户劝返">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="school_dropout_visit.json"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>flow_opened_closed</bpmn:incoming><bpmn:outgoing>flow_visit_closed</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_visit_closed" sourceRef="home_visit" targetRef="case_closed"/>"""


class Designer:
    def __init__(self, browser):
        self.browser = browser
        browser.sign_in(DESIGNER)
        browser.get("/designer/")

    def json(self, method, path, body=None):
        headers = {"Accept": "application/json", "X-CSRFToken": self.browser.csrf_token}
        call = getattr(self.browser.client, method)
        return call(path, json=body, headers=headers) if method == "post" else call(path, headers=headers)

    def create(self, **form):
        self.browser.get("/designer/procedures/new")
        return self.browser.post("/designer/procedures/new", form)

    def main_xml(self, process_id):
        answer = self.json("get", f"/designer/procedures/{process_id}/files")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return next(f for f in answer.get_json()["files"] if f["main"])


@pytest.fixture
def designer(browser):
    return Designer(browser)


def rows(app, model, *where):
    with app.app_context():
        from webapp.db import session
        return list(session().scalars(select(model).where(*where)))


def blank(designer, process_id=NEW_ID, **extra):
    return designer.create(**{"from": "blank", "process_id": process_id, "name": "辍学儿童劝返帮扶",
                              "department": "village", "level": "village", **extra})


def test_a_procedure_from_the_blank_template_gets_a_task_with_a_form_validates_deploys_and_runs(designer, api, app):
    answer = blank(designer)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/designer/procedures/{NEW_ID}/edit")
    # the template: one lane with department and level, a start event with its start form, an end event, DI
    main = designer.main_xml(NEW_ID)
    xml = main["xml"]
    assert main["filename"] == f"{NEW_ID}.bpmn" and main["draft"]["revision"] == 1
    assert 'name="department" value="village"' in xml and 'name="level" value="village"' in xml
    assert f'value="{NEW_ID}_start.json"' in xml and "<bpmn:endEvent" in xml
    for element in ("case_opened", "case_closed", "flow_opened_closed", "lane_village", f"{NEW_ID}_pool"):
        assert f'bpmnElement="{element}"' in xml
    start_form = json.loads(rows(app, Draft, Draft.kind == "form", Draft.name == f"{NEW_ID}_start.json")[0].content)
    assert start_form["properties"]["child"]["required"] == ["name", "id_number", "birth_date", "gender"]
    # not startable before it is deployed
    assert api(VILLAGE).post(f"/processes/{NEW_ID}/instances", {"region": "430104001001", "data": {}}).status_code == 404
    page = designer.browser.get("/designer/").get_data(as_text=True)
    assert "尚未部署的新流程" in page and "辍学儿童劝返帮扶" in page

    # the designer makes a form and puts a user task with it between start and end
    designer.browser.get("/designer/forms/")
    saved = designer.browser.post("/designer/forms/school_dropout_visit.json", {"schema": json.dumps(VISIT_FORM)})
    assert saved.status_code == 302
    with_task = (xml.replace('targetRef="case_closed"/>', 'targetRef="home_visit"/>\n    ' + USER_TASK, 1)
                 .replace("<bpmn:incoming>flow_opened_closed</bpmn:incoming>", "<bpmn:incoming>flow_visit_closed</bpmn:incoming>")
                 .replace("<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef>",
                          "<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef><bpmn:flowNodeRef>home_visit</bpmn:flowNodeRef>"))
    # first a typo in the form's name: validation names the task
    broken = with_task.replace('value="school_dropout_visit.json"', 'value="school_dropout_vist.json"')
    problems = designer.json("post", f"/designer/procedures/{NEW_ID}/check", {"files": {main["filename"]: broken}}).get_json()["problems"]
    assert [p["element"] for p in problems] == ["home_visit"] and "school_dropout_vist.json" in problems[0]["message"]
    saved = designer.json("post", f"/designer/procedures/{NEW_ID}/drafts", {"file": main["filename"], "xml": with_task, "revision": 1})
    assert saved.status_code == 200 and saved.get_json()["draft"]["revision"] == 2
    assert designer.json("post", f"/designer/procedures/{NEW_ID}/check", {"files": {main["filename"]: with_task}}).get_json() == {"problems": [], "warnings": []}
    deployed = designer.json("post", f"/designer/procedures/{NEW_ID}/deploy", {"files": {main["filename"]: with_task}, "note": "新建"})
    assert deployed.status_code == 200, deployed.get_json()
    assert [(d["process_id"], d["version"]) for d in deployed.get_json()["deployed"]] == [(NEW_ID, 1)]
    assert rows(app, Draft, Draft.kind == "bpmn", Draft.name == main["filename"]) == []  # the draft became version 1

    # it starts like the shipped ones: the village office sees the task, completes it, the case ends
    village = api(VILLAGE)
    listed = {p["id"]: p for p in village.get("/processes").get_json()}
    assert listed[NEW_ID]["version"] == 1
    refused = village.post(f"/processes/{NEW_ID}/instances", {"region": "430104001001", "data": {"child": CHILD}})
    assert refused.status_code == 422 and "reason" in json.dumps(refused.get_json(), ensure_ascii=False)
    started = village.post(f"/processes/{NEW_ID}/instances", {"region": "430104001001", "data": {"child": CHILD, "reason": "初二辍学在家"}})
    assert started.status_code == 201, started.get_json()
    task = next(t for t in village.get("/tasks").get_json() if t["instance_id"] == started.get_json()["id"])
    assert task["name"] == "home_visit" and task["title"] == "入户劝返"
    assert village.get(f"/tasks/{task['id']}").get_json()["form"]["title"] == "入户劝返记录"
    done = village.post(f"/tasks/{task['id']}/complete", {"data": {"outcome": "back"}})
    assert done.status_code == 200 and done.get_json()["status"] == "completed"
    actions = [a.action for a in rows(app, AuditEntry, AuditEntry.target == f"process:{NEW_ID}")]
    assert "designer.procedure.create" in actions and "designer.deploy" in actions


@pytest.mark.parametrize("process_id, message", [
    ("", "请填写流程标识"), ("School_Help", "snake_case"), ("1st_help", "snake_case"), ("help__twice", "snake_case"),
    ("help-me", "snake_case"), ("a" * 61, "snake_case"), ("class", "保留字"), ("match", "保留字"), ("new", "保留字"),
    ("entrustment_care", "已被使用"), ("guardianship_assessment", "已被使用"),  # a called process is taken too
    ("psych_referral", "已被使用"),
])
def test_a_new_process_id_must_be_snake_case_unique_and_not_reserved(designer, app, process_id, message):
    answer = blank(designer, process_id=process_id)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert message in page and "流程未创建" in page
    assert 'value="辍学儿童劝返帮扶"' in page  # what was typed is kept
    assert rows(app, ProcedureState) == [] and rows(app, Draft) == []


def test_a_second_procedure_cannot_take_an_id_already_drafted_and_bad_lanes_are_refused(designer, app):
    assert blank(designer).status_code == 302
    again = blank(designer)
    assert again.status_code == 422 and "已被使用" in again.get_data(as_text=True)
    court = blank(designer, process_id="court_help", department="court", level="village")
    assert court.status_code == 422 and "人民法院不在这一层级办理" in court.get_data(as_text=True)
    unknown = blank(designer, process_id="other_help", department="orphanage")
    assert unknown.status_code == 422 and "请选择部门" in unknown.get_data(as_text=True)
    hostile = blank(designer, process_id="named_help", name='<script>alert(1)</script>"&')
    assert hostile.status_code == 302
    assert "&lt;script&gt;" in designer.main_xml("named_help")["xml"]  # escaped into the diagram, still parses
    assert designer.json("post", "/designer/procedures/named_help/check", {"files": {}}).get_json() == {"problems": [], "warnings": []}


def test_an_undeployed_procedure_keeps_its_diagram_and_can_be_deleted(designer, app):
    blank(designer)
    refused = designer.json("post", f"/designer/procedures/{NEW_ID}/drafts/discard", {"file": f"{NEW_ID}.bpmn"})
    assert refused.status_code == 409 and "不能丢弃" in refused.get_json()["error"]
    assert designer.main_xml(NEW_ID)["draft"] is not None
    changed_id = designer.main_xml(NEW_ID)["xml"].replace(f'<bpmn:process id="{NEW_ID}"', '<bpmn:process id="other"')
    renamed = designer.json("post", f"/designer/procedures/{NEW_ID}/drafts", {"file": f"{NEW_ID}.bpmn", "xml": changed_id})
    assert renamed.status_code == 422 and "流程标识必须保持" in renamed.get_json()["error"]
    designer.browser.get(f"/designer/procedures/{NEW_ID}")
    assert designer.browser.post(f"/designer/procedures/{NEW_ID}/delete").status_code == 302
    assert rows(app, ProcedureState) == [] and rows(app, Draft) == []
    assert designer.browser.get(f"/designer/procedures/{NEW_ID}").status_code == 404
    assert blank(designer).status_code == 302  # the id is free again


def test_a_copy_takes_the_diagram_under_the_new_id_with_its_own_start_form(designer, app, api, start_data):
    answer = designer.create(**{"from": "copy", "source": "entrustment_care", "process_id": "entrustment_care_sh",
                                "name": "五方委托照护协议（上海）"})
    assert answer.status_code == 302
    files = {f["filename"]: f for f in designer.json("get", "/designer/procedures/entrustment_care_sh/files").get_json()["files"]}
    assert set(files) == {"entrustment_care_sh.bpmn", "guardianship_assessment.bpmn"}  # the called diagram is shared
    xml = files["entrustment_care_sh.bpmn"]["xml"]
    assert 'id="entrustment_care_sh"' in xml and 'processRef="entrustment_care_sh"' in xml
    assert 'value="entrustment_care_sh_start.json"' in xml and 'value="entrustment_care_start.json"' not in xml
    form = json.loads(rows(app, Draft, Draft.name == "entrustment_care_sh_start.json")[0].content)
    assert form["title"] == "五方委托照护协议（上海）：发起" and "category" in form["properties"]
    deployed = designer.json("post", "/designer/procedures/entrustment_care_sh/deploy", {"files": {}})
    assert deployed.status_code == 200, deployed.get_json()
    assert [(d["process_id"], d["version"]) for d in deployed.get_json()["deployed"]] == [("entrustment_care_sh", 1)]
    versions = {d.process_id: d.version for d in rows(app, ProcessDefinition)}
    assert versions["entrustment_care"] == 1  # the original is untouched
    started = api(VILLAGE).post("/processes/entrustment_care_sh/instances", {"region": "430104001001", "data": start_data})
    assert started.status_code == 201, started.get_json()
    assert [t["name"] for t in started.get_json()["open_tasks"]] == ["township_home_investigation"]


def test_copying_needs_a_deployed_source(designer, app):
    answer = designer.create(**{"from": "copy", "source": "no_such_thing", "process_id": "some_copy", "name": "副本"})
    assert answer.status_code == 422 and "请选择要复制的已部署流程" in answer.get_data(as_text=True)
    assert rows(app, ProcedureState) == []


def test_a_retired_procedure_starts_no_new_cases_while_running_ones_continue(designer, api, app, browser, start_data):
    village = api(VILLAGE)
    running = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert running.status_code == 201
    designer.browser.get("/designer/procedures/entrustment_care")
    refused = designer.browser.post("/designer/procedures/entrustment_care/retire", {"reason": " "})
    assert "请填写停用原因" in designer.browser.get("/designer/procedures/entrustment_care").get_data(as_text=True)
    assert rows(app, ProcedureState) == []
    assert refused.status_code == 302
    designer.browser.post("/designer/procedures/entrustment_care/retire", {"reason": "<b>已被新政策取代</b>"})
    page = designer.browser.get("/designer/procedures/entrustment_care").get_data(as_text=True)
    assert "已停用" in page and "&lt;b&gt;已被新政策取代&lt;/b&gt;" in page

    again = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert again.status_code == 422 and "已停用，不能再发起新案件" in again.get_json()["error"]
    # the start picker no longer offers it and says why when asked for it
    browser_ = type(designer.browser)(app.test_client())
    browser_.sign_in(VILLAGE)
    picker = browser_.get("/cases/new").get_data(as_text=True)
    assert "process=entrustment_care\"" not in picker and 'value="entrustment_care"' not in picker
    assert "该流程已停用" in browser_.get("/cases/new?process=entrustment_care").get_data(as_text=True)
    # the running case goes on
    township = api("township.430104001000")
    task = next(t for t in township.get("/tasks").get_json() if t["instance_id"] == running.get_json()["id"])
    done = township.post(f"/tasks/{task['id']}/complete", {"data": {
        "guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病", "income": "低保",
        "living_conditions": "祖孙二人同住"}})
    assert done.status_code == 200, done.get_json()
    assert [a.action for a in rows(app, AuditEntry, AuditEntry.target == "process:entrustment_care")] == ["designer.procedure.retire"]

    designer.browser.post("/designer/procedures/entrustment_care/reinstate")
    start_data["child"]["id_number"] = "430104201501010031"
    assert village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data}).status_code == 201
    assert rows(app, AuditEntry, AuditEntry.action == "designer.procedure.reinstate")


def test_officials_may_not_create_or_retire_procedures(browser, app):
    browser.sign_in(CIVIL)
    assert browser.get("/designer/procedures/new").status_code == 403
    assert browser.post("/designer/procedures/new", {"from": "blank", "process_id": "x_help", "name": "x",
                                                     "department": "village", "level": "village"}).status_code == 403
    assert browser.post("/designer/procedures/entrustment_care/retire", {"reason": "x"}).status_code == 403
    assert rows(app, ProcedureState) == []


def test_the_api_marks_a_retired_procedure_and_refuses_to_start_it_in_json(designer, api, client, start_data):
    from jsonschema import Draft202012Validator
    village = api(VILLAGE)
    listed = {p["id"]: p for p in village.get("/processes").get_json()}
    assert listed["entrustment_care"]["retired"] is False and set(listed["entrustment_care"]) == {
        "id", "name", "version", "retired"}
    designer.browser.get("/designer/procedures/entrustment_care")
    designer.browser.post("/designer/procedures/entrustment_care/retire", {"reason": "已被新政策取代"})
    listed = {p["id"]: p for p in village.get("/processes").get_json()}
    assert listed["entrustment_care"]["retired"] is True
    assert not any(p["retired"] for pid, p in listed.items() if pid != "entrustment_care")
    refused = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert refused.status_code == 422 and refused.is_json
    assert "已停用" in refused.get_json()["errors"]["process"]
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    for schema, body in ((paths["/processes"]["get"]["responses"]["200"], village.get("/processes").get_json()),
                         (paths["/processes/{process_id}/instances"]["post"]["responses"]["422"], refused.get_json())):
        schema = schema["content"]["application/json"]["schema"]
        Draft202012Validator({**schema, "components": document["components"]}).validate(body)
    assert "retired" in document["components"]["schemas"]["Process"]["required"]


@pytest.mark.parametrize("form_id, title, field, message", [
    ("School Visit", "入户劝返记录", "form_id", "snake_case"),
    ("../school_visit", "入户劝返记录", "form_id", "snake_case"),
    ("visit_record", "入户劝返记录", "form_id", "visit_record.json 已存在"),  # a shipped form
    ("school_visit_start", "入户劝返记录", "form_id", "发起表单"),
    ("school_visit", " ", "title", "中文标题"),
])
def test_a_new_form_needs_a_valid_unused_id_and_a_title(designer, app, form_id, title, field, message):
    page = designer.browser.get("/designer/forms/").get_data(as_text=True)
    assert "新建表单" in page and 'id="create-form"' in page
    answer = designer.browser.post("/designer/forms/new", {"form_id": form_id, "title": title})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert f'id="err-{field}"' in text and message in text
    assert 'id="new-form" open' in text and f'value="{form_id}"' in text.replace("&#39;", "'")  # what was typed is kept
    assert rows(app, Draft, Draft.kind == "form") == []
    assert designer.browser.post("/designer/forms/new", {"form_id": "a", "title": "x"}).status_code == 422


def test_a_new_form_is_offered_to_a_user_task_and_deploys_with_it(designer, app, api):
    created = designer.browser.post("/designer/forms/new", {"form_id": "school_dropout_visit", "title": "入户劝返记录"})
    assert created.status_code == 302 and created.headers["Location"].endswith("/designer/forms/school_dropout_visit.json")
    editor = designer.browser.get("/designer/forms/school_dropout_visit.json").get_data(as_text=True)
    assert "表单已创建" in editor and "入户劝返记录" in editor and "办理情况" in editor
    assert [a.action for a in rows(app, AuditEntry, AuditEntry.target == "form:school_dropout_visit.json")] == [
        "designer.form.create"]
    again = designer.browser.post("/designer/forms/new", {"form_id": "school_dropout_visit.json", "title": "再建一次"})
    assert again.status_code == 422 and "已存在" in again.get_data(as_text=True)
    offered = designer.json("get", "/designer/catalog.json").get_json()["forms"]
    assert {"name": "school_dropout_visit.json", "title": "入户劝返记录"} in offered
    # a new procedure's user task takes it: validates, deploys, and the task asks its field
    assert blank(designer).status_code == 302
    main = designer.main_xml(NEW_ID)
    with_task = (main["xml"].replace('targetRef="case_closed"/>', 'targetRef="home_visit"/>\n    ' + USER_TASK, 1)
                 .replace("<bpmn:incoming>flow_opened_closed</bpmn:incoming>", "<bpmn:incoming>flow_visit_closed</bpmn:incoming>")
                 .replace("<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef>",
                          "<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef><bpmn:flowNodeRef>home_visit</bpmn:flowNodeRef>"))
    deployed = designer.json("post", f"/designer/procedures/{NEW_ID}/deploy", {"files": {main["filename"]: with_task}})
    assert deployed.status_code == 200, deployed.get_json()
    village = api(VILLAGE)
    started = village.post(f"/processes/{NEW_ID}/instances", {"region": "430104001001", "data": {"child": CHILD, "reason": "辍学"}})
    assert started.status_code == 201, started.get_json()
    task = next(t for t in village.get("/tasks").get_json() if t["instance_id"] == started.get_json()["id"])
    detail = village.get(f"/tasks/{task['id']}").get_json()
    assert detail["form"]["title"] == "入户劝返记录" and detail["form"]["required"] == ["outcome"]
    assert village.post(f"/tasks/{task['id']}/complete", {"data": {}}).status_code == 422
    assert village.post(f"/tasks/{task['id']}/complete", {"data": {"outcome": "已返校"}}).status_code == 200
