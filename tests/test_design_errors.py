"""A designer's expression that fails at run time (deployed before checks existed, or written
straight into the database) never answers 500 to the official completing a task: nothing is
saved, the form input is kept, the official is told the procedure's design is at fault and whom
to ask, and the failure is logged and audited with the element for administrators and designers."""
import logging
import re
from html import unescape

import jsonschema
import pytest
from sqlalchemy import select

from tests.helpers import capacity_assessment, only_task, start_entrustment_case
from webapp import db, openapi
from webapp.models import AuditEntry, Case, HumanTask, ProcessDefinition
from webapp.services import definitions

TOWNSHIP, CIVIL = "township.430104001000", "civil_affairs.430104000000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                 "income": "低保", "living_conditions": "祖孙同住"}
GATEWAY_CONDITION = "guardianship_capacity == 'adequate'"
CALL = 'calledElement="guardianship_assessment">'

# (how the deployed diagram is broken, the element the official's message and the audit name)
BREAKS = {
    "division_by_zero": (lambda xml: xml.replace(GATEWAY_CONDITION, "1/0 == 1"), "capacity_gateway", "ZeroDivisionError"),
    "unknown_name": (lambda xml: xml.replace(GATEWAY_CONDITION, "no_such_answer == 'adequate'"), "capacity_gateway",
                     "no_such_answer"),
    "script_raises": (lambda xml: xml.replace(CALL, CALL + "<bpmn:extensionElements><spiffworkflow:postScript>"
                                              "x = {}['missing']</spiffworkflow:postScript></bpmn:extensionElements>", 1),
                      "assess_guardianship", "KeyError"),
}


def deploy_unchecked(db_session, break_xml):
    """A new version of entrustment care with `break_xml` applied, written without any check."""
    current = db_session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == "entrustment_care")
                                 .order_by(ProcessDefinition.version.desc())).first()
    files = dict(current.files)
    broken = break_xml(files["entrustment_care.bpmn"])
    assert broken != files["entrustment_care.bpmn"]
    files["entrustment_care.bpmn"] = broken
    db_session.add(ProcessDefinition(process_id="entrustment_care", version=current.version + 1, name=current.name,
                                     files=files, forms=dict(current.forms), start_form=current.start_form,
                                     checksum=definitions._checksum(files, dict(current.forms)),
                                     deployed_at=current.deployed_at))
    db_session.commit()
    return current.version + 1


def to_the_assessment(api, start_data):
    case = start_entrustment_case(api, start_data)
    township = api(TOWNSHIP)
    task = only_task(township, "township_home_investigation")
    assert township.post(f"/tasks/{task['id']}/complete", {"data": INVESTIGATION}).status_code == 200
    return case, only_task(api(CIVIL), "assess_capacity")


@pytest.mark.parametrize("kind", BREAKS)
def test_the_api_answers_a_design_error_and_saves_nothing(app, api, db_session, start_data, caplog, kind):
    break_xml, element, cause = BREAKS[kind]
    version = deploy_unchecked(db_session, break_xml)
    case, task = to_the_assessment(api, start_data)
    before = db_session.get(Case, case["id"]).workflow_json

    with caplog.at_level(logging.ERROR):
        response = api(CIVIL).post(f"/tasks/{task['id']}/complete", {"data": capacity_assessment("adequate", "监护能力尚可")})

    assert response.status_code == 422 and response.is_json
    body = response.get_json()
    assert body["code"] == "engine_error" and body["element"] == element, body
    assert body["process_id"] == "entrustment_care" and body["version"] == version
    assert "流程设计有误" in body["error"] and "本次提交未保存" in body["error"] and cause in body["error"], body
    assert "请联系流程设计人员或系统管理员" in body["error"]
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).workflow_json == before
    assert db_session.get(HumanTask, task["id"]).state == "open"
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error")).one()
    assert entry.target == "process:entrustment_care" and entry.username == CIVIL
    assert entry.detail["element"] == element and entry.detail["version"] == version
    assert entry.detail["task"] == task["id"] and entry.detail["case"] == case["id"]
    assert any(element in r.getMessage() and "entrustment_care" in r.getMessage() for r in caplog.records)
    if kind == "division_by_zero":  # the answer is the documented one
        schema = openapi.document(app.url_map)
        refused = schema["paths"]["/tasks/{task_id}/complete"]["post"]["responses"]["422"]
        assert refused["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CompletionRefused"}
        jsonschema.validate(body, {**schema["components"]["schemas"]["DesignError"], "components": schema["components"]})


def test_the_official_keeps_the_form_and_admins_and_designers_see_the_failure(app, api, browser, start_data):
    """(No `db_session` here: its app context would hold one signed-in user across the requests.)"""
    with app.app_context():
        deploy_unchecked(db.session(), BREAKS["division_by_zero"][0])
    case, task = to_the_assessment(api, start_data)
    browser.sign_in(CIVIL)
    browser.get(f"/tasks/{task['id']}")
    form = capacity_assessment("adequate", "祖母身体尚可，邻里照应（第一次填写）")

    page = browser.post(f"/tasks/{task['id']}", form)

    assert page.status_code == 422
    text = unescape(page.get_data(as_text=True))
    assert "流程设计有误" in text and "监护能力评估结论？" in text and "请联系流程设计人员或系统管理员" in text
    assert "祖母身体尚可，邻里照应（第一次填写）" in text          # what the official typed is still in the form
    with app.app_context():
        assert db.session().get(HumanTask, task["id"]).state == "open"

    admin = type(browser)(app.test_client())
    assert admin.sign_in("admin").status_code == 302
    log = unescape(admin.get("/admin/audit?action=engine.design_error").get_data(as_text=True))
    assert "流程设计运行出错" in log and CIVIL in log
    designer = type(browser)(app.test_client())
    designer.sign_in("designer")
    procedure = designer.get("/designer/procedures/entrustment_care").get_data(as_text=True)
    row = re.search(r'<tr data-element="capacity_gateway">.*?</tr>', procedure, re.S)
    assert row is not None and "ZeroDivisionError" in row.group(0) and CIVIL in row.group(0)
