"""Attacker's probe (session 5): a designer's `dueIn` that parses but cannot be added to a date.
`P99999Y` (or `PT99999999999H`) is a well-formed ISO 8601 duration, so `tonghu check` and the designer let
it deploy; when its task opened, the due date overflowed and the official's submission that led to it
answered 500, every time (the case stuck before it). The check now names it; a version deployed
before the check opens the task with no due date rather than failing the step. A timer whose duration
(`'P99999Y'`, or one built from form data) lands past year 9999 raised a bare OverflowError from the
engine (500 on the start or completion reaching it): now a design error naming the timer (422, nothing saved)."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.engine import Engine
from webapp.models import HumanTask, ProcessDefinition
from webapp.services import definitions
from webapp.services.checks import check_files
from webapp.services.designs import template

VILLAGE = "village.430104001001"
FORMS = Path(__file__).resolve().parents[2] / "forms"
TASK = ('<bpmn:userTask id="visit" name="上门走访"><bpmn:extensionElements><spiffworkflow:properties>'
        '<spiffworkflow:property name="formJsonSchemaFilename" value="admit_child.json"/>'
        '<spiffworkflow:property name="dueIn" value="DUE"/></spiffworkflow:properties></bpmn:extensionElements>'
        '<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>'
        '<bpmn:sequenceFlow id="f1" sourceRef="case_opened" targetRef="visit"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="visit" targetRef="case_closed"/>')


def diagram(due_in: str) -> str:
    xml = template.blank_bpmn("due_probe", "期限探测", "village", "village", "psych_referral_start.json")
    xml = xml.replace("<bpmn:outgoing>flow_opened_closed</bpmn:outgoing>", "<bpmn:outgoing>f1</bpmn:outgoing>")
    xml = xml.replace("<bpmn:incoming>flow_opened_closed</bpmn:incoming>", "<bpmn:incoming>f2</bpmn:incoming>")
    xml = xml.replace('<bpmn:sequenceFlow id="flow_opened_closed" sourceRef="case_opened" targetRef="case_closed"/>',
                      TASK.replace("DUE", due_in))
    xml = xml.replace('<bpmndi:BPMNEdge id="flow_opened_closed_di" bpmnElement="flow_opened_closed">',
                      '<bpmndi:BPMNEdge id="f1_di" bpmnElement="f1">')
    return xml.replace("<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef>",
                       "<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef><bpmn:flowNodeRef>visit</bpmn:flowNodeRef>")


def the_forms():
    return {name: json.loads((FORMS / name).read_text("utf-8")) for name in ("psych_referral_start.json", "admit_child.json")}


@pytest.mark.parametrize("due_in", ["P99999Y", "PT99999999999H"])
def test_the_check_names_a_due_period_no_date_can_hold(due_in):
    assert not check_files({"due_probe.bpmn": diagram("P7D")}, the_forms())
    problems = [str(p) for p in check_files({"due_probe.bpmn": diagram(due_in)}, the_forms())]
    assert any("dueIn" in p and "上门走访" in p for p in problems), problems
    assert Engine.due_at(datetime.now(timezone.utc), due_in) is None  # no date holds it: no due date


def test_a_version_deployed_before_the_check_opens_its_task_without_a_due_date(app, api, db_session, start_data):
    with app.extensions["tonghu.sessionmaker"]() as s:  # written straight in, as an older release deployed it
        files, forms = {"due_probe.bpmn": diagram("P99999Y")}, the_forms()
        s.add(ProcessDefinition(process_id="due_probe", version=1, name="期限探测", files=files, forms=forms,
                                start_form="psych_referral_start.json", checksum=definitions._checksum(files, forms),
                                deployed_at=datetime.now(timezone.utc)))
        s.commit()
    response = api(VILLAGE).post("/processes/due_probe/instances", {"region": "430104001001", "data": {
        "child": start_data["child"], "monitoring_source": "monthly_contact", "reason": "走访"}})
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    task = db_session.scalars(select(HumanTask).where(HumanTask.case_id == response.get_json()["id"])).one()
    assert task.name == "visit" and task.due is None


def timer_diagram(duration: str) -> str:
    """立案 → a timer (`timeDuration` = `duration`) → 办结."""
    xml = template.blank_bpmn("timer_probe", "计时探测", "village", "village", "psych_referral_start.json")
    xml = xml.replace("xmlns:bpmn=", 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bpmn=', 1)
    xml = xml.replace("<bpmn:outgoing>flow_opened_closed</bpmn:outgoing>", "<bpmn:outgoing>f1</bpmn:outgoing>")
    xml = xml.replace("<bpmn:incoming>flow_opened_closed</bpmn:incoming>", "<bpmn:incoming>f2</bpmn:incoming>")
    xml = xml.replace(
        '<bpmn:sequenceFlow id="flow_opened_closed" sourceRef="case_opened" targetRef="case_closed"/>',
        '<bpmn:intermediateCatchEvent id="wait" name="等待回访"><bpmn:incoming>f1</bpmn:incoming>'
        '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:timerEventDefinition id="wait_timer"><bpmn:timeDuration '
        f'xsi:type="bpmn:tFormalExpression">{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>'
        '</bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="f1" sourceRef="case_opened" targetRef="wait"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="case_closed"/>')
    xml = xml.replace('<bpmndi:BPMNEdge id="flow_opened_closed_di" bpmnElement="flow_opened_closed">',
                      '<bpmndi:BPMNEdge id="f1_di" bpmnElement="f1">')
    return xml.replace("<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef>",
                       "<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef><bpmn:flowNodeRef>wait</bpmn:flowNodeRef>")


def test_a_timer_past_any_date_is_a_design_error_not_a_500(app, api, db_session, start_data):
    from webapp.models import AuditEntry, Case, User
    with app.extensions["tonghu.sessionmaker"]() as s:
        designer = s.scalars(select(User).where(User.username == "designer")).one()
        forms = {"psych_referral_start.json": the_forms()["psych_referral_start.json"]}
        assert definitions.deploy(s, {"timer_probe.bpmn": timer_diagram("'P99999Y'")}, forms, datetime.now(timezone.utc),
                                  designer)
        s.commit()
    response = api(VILLAGE).post("/processes/timer_probe/instances", {"region": "430104001001", "data": {
        "child": start_data["child"], "monitoring_source": "monthly_contact", "reason": "回访"}})
    assert response.status_code == 422 and response.is_json, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["code"] == "engine_error" and body["element"] == "wait", body
    assert "流程设计有误" in body["error"] and "等待回访" in body["error"] and "日期范围" in body["error"], body
    assert db_session.scalars(select(Case)).all() == []
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error")).one()
