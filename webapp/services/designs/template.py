"""The blank procedure a designer starts from: one lane (department and level), a start event
with its start form, an end event, the flow between them, and the diagram (DI) to draw them.

Also the start form made alongside it: the child's identity (as the shipped start forms ask
it, so the registry finds the child) and the reason the case is opened.
"""
import copy
from xml.sax.saxutils import escape, quoteattr

from ...catalog import DEPARTMENTS, LEVEL_NAMES

# The child's identity as every start form asks it (see forms/entrustment_care_start.json).
CHILD = {
    "type": "object", "title": "儿童基本信息",
    "properties": {
        "name": {"type": "string", "title": "姓名", "minLength": 1, "maxLength": 50,
                 "pattern": "[^\\s\u3000\u200b\ufeff]"},
        "id_number": {"type": "string", "title": "公民身份号码", "pattern": "^[0-9]{17}[0-9Xx]$",
                      "format": "cn-resident-id", "x-id-matches": {"birth_date": "birth_date", "gender": "gender"}},
        "birth_date": {"type": "string", "title": "出生日期", "format": "date", "x-not-future": 0,
                       "x-max-age-years": 18},
        "gender": {"type": "string", "title": "性别", "enum": ["female", "male"], "x-enum-titles": ["女", "男"]},
    },
    "required": ["name", "id_number", "birth_date", "gender"],
}


def start_form(name: str, forms: dict[str, dict]) -> dict:
    """The new procedure's start form; the child as the shipped entrustment form asks it, when present."""
    shipped = (forms.get("entrustment_care_start.json") or {}).get("properties", {}).get("child")
    child = copy.deepcopy(shipped) if isinstance(shipped, dict) and shipped.get("type") == "object" else copy.deepcopy(CHILD)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{name}：发起",
        "type": "object",
        "properties": {
            "child": child,
            "reason": {"type": "string", "title": "发起原因", "minLength": 1, "maxLength": 2000,
                       "x-widget": "textarea"},
        },
        "required": ["child", "reason"],
    }


def lane_name(department: str, level: str) -> str:
    return f"{LEVEL_NAMES[level]}{DEPARTMENTS[department][0]}"


def blank_bpmn(process_id: str, name: str, department: str, level: str, form: str) -> str:
    """The blank diagram; every value is escaped (the name is the designer's text)."""
    pid, lane = process_id, lane_name(department, level)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="{pid}_definitions" targetNamespace="https://tonghu.example/bpmn">
  <bpmn:collaboration id="{pid}_collaboration">
    <bpmn:participant id="{pid}_pool" name={quoteattr(name)} processRef="{pid}"/>
  </bpmn:collaboration>
  <bpmn:process id="{pid}" name={quoteattr(name)} isExecutable="true">
    <bpmn:documentation>{escape(name)}：在浏览器中新建的流程。请为每个依据政策条款的环节写明“依据：”。</bpmn:documentation>
    <bpmn:laneSet id="{pid}_lanes">
      <bpmn:lane id="lane_{department}" name={quoteattr(lane)}>
        <bpmn:extensionElements>
          <spiffworkflow:properties>
            <spiffworkflow:property name="department" value="{department}"/>
            <spiffworkflow:property name="level" value="{level}"/>
          </spiffworkflow:properties>
        </bpmn:extensionElements>
        <bpmn:flowNodeRef>case_opened</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="case_opened" name="立案">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="{form}"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:outgoing>flow_opened_closed</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:endEvent id="case_closed" name="办结">
      <bpmn:incoming>flow_opened_closed</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_opened_closed" sourceRef="case_opened" targetRef="case_closed"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{pid}_diagram">
    <bpmndi:BPMNPlane id="{pid}_plane" bpmnElement="{pid}_collaboration">
      <bpmndi:BPMNShape id="{pid}_pool_di" bpmnElement="{pid}_pool" isHorizontal="true">
        <dc:Bounds x="120" y="80" width="900" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="lane_{department}_di" bpmnElement="lane_{department}" isHorizontal="true">
        <dc:Bounds x="150" y="80" width="870" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="case_opened_di" bpmnElement="case_opened">
        <dc:Bounds x="212" y="162" width="36" height="36"/>
        <bpmndi:BPMNLabel><dc:Bounds x="218" y="205" width="24" height="14"/></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="case_closed_di" bpmnElement="case_closed">
        <dc:Bounds x="912" y="162" width="36" height="36"/>
        <bpmndi:BPMNLabel><dc:Bounds x="918" y="205" width="24" height="14"/></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_opened_closed_di" bpmnElement="flow_opened_closed">
        <di:waypoint x="248" y="180"/>
        <di:waypoint x="912" y="180"/>
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
