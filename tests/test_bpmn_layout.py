"""Tests for tools/bpmn_layout.py: generated DI is complete, lane-consistent,
left-to-right, still loadable by SpiffWorkflow, and ``--check`` detects drift."""

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

TOOL = Path(__file__).resolve().parents[1] / "tools" / "bpmn_layout.py"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
PROCESS_ID = "Process_review"

# Two lanes; parallel split into tasks in different lanes; join; an exclusive
# gateway looping back to an earlier task; a timer on a task; an end event.
SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="Definitions_review" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="Collaboration_review">
    <bpmn:participant id="Participant_review" name="合同评审" processRef="Process_review" />
  </bpmn:collaboration>
  <bpmn:process id="Process_review" isExecutable="true">
    <bpmn:laneSet id="LaneSet_review">
      <bpmn:lane id="Lane_clerk" name="文员">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>split</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>draft</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>join</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>sign</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>timeout</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>remind</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_lawyer" name="律师">
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>decide</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="开始" />
    <bpmn:parallelGateway id="split" />
    <bpmn:userTask id="draft" name="起草合同">
      <bpmn:extensionElements>
        <spiffworkflow:instructionsForEndUser>请起草</spiffworkflow:instructionsForEndUser>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="review" name="法务审核" />
    <bpmn:parallelGateway id="join" />
    <bpmn:userTask id="sign" name="签署" />
    <bpmn:boundaryEvent id="timeout" attachedToRef="sign" cancelActivity="false">
      <bpmn:timerEventDefinition id="timer_def">
        <bpmn:timeDuration>"PT1H"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:manualTask id="remind" name="催办" />
    <bpmn:exclusiveGateway id="decide" name="签署完成?" default="f_done" />
    <bpmn:endEvent id="end" name="结束" />
    <bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="split" />
    <bpmn:sequenceFlow id="f_draft" sourceRef="split" targetRef="draft" />
    <bpmn:sequenceFlow id="f_review" sourceRef="split" targetRef="review" />
    <bpmn:sequenceFlow id="f_draft_join" sourceRef="draft" targetRef="join" />
    <bpmn:sequenceFlow id="f_review_join" sourceRef="review" targetRef="join" />
    <bpmn:sequenceFlow id="f_sign" sourceRef="join" targetRef="sign" />
    <bpmn:sequenceFlow id="f_decide" sourceRef="sign" targetRef="decide" />
    <bpmn:sequenceFlow id="f_done" sourceRef="decide" targetRef="end" />
    <bpmn:sequenceFlow id="f_again" sourceRef="decide" targetRef="sign">
      <bpmn:conditionExpression>retry</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_timeout" sourceRef="timeout" targetRef="remind" />
  </bpmn:process>
</bpmn:definitions>
"""
FLOW_NODE_TAGS = ("startEvent", "parallelGateway", "userTask", "manualTask",
                  "boundaryEvent", "exclusiveGateway", "endEvent")


def run_tool(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)],
                          capture_output=True, text=True, check=False)


@pytest.fixture
def laid_out(tmp_path):
    """The sample file after one layout run, plus its parsed tree."""
    path = tmp_path / "review.bpmn"
    path.write_text(SAMPLE, encoding="utf-8")
    result = run_tool(path)
    assert result.returncode == 0, result.stdout + result.stderr
    return path, etree.parse(str(path))


def bounds(tree):
    """bpmnElement id -> (x, y, width, height) of every BPMNShape."""
    return {
        shape.get("bpmnElement"): tuple(
            float(shape.find("dc:Bounds", NS).get(key)) for key in ("x", "y", "width", "height"))
        for shape in tree.iterfind(".//bpmndi:BPMNShape", NS)
    }


def ids(tree, *tags):
    return [element.get("id") for tag in tags for element in tree.iterfind(f".//bpmn:{tag}", NS)]


def test_every_node_lane_and_participant_has_positive_bounds(laid_out):
    _, tree = laid_out
    shapes = bounds(tree)
    for element_id in ids(tree, *FLOW_NODE_TAGS, "lane", "participant"):
        assert element_id in shapes, element_id
        _, _, width, height = shapes[element_id]
        assert width > 0 and height > 0, element_id


def test_nodes_lie_inside_their_lane(laid_out):
    _, tree = laid_out
    shapes = bounds(tree)
    for lane in tree.iterfind(".//bpmn:lane", NS):
        lx, ly, lw, lh = shapes[lane.get("id")]
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, h = shapes[ref.text]
            assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, ref.text


def test_every_sequence_flow_has_an_edge(laid_out):
    _, tree = laid_out
    edges = {edge.get("bpmnElement"): edge.findall("di:waypoint", NS)
             for edge in tree.iterfind(".//bpmndi:BPMNEdge", NS)}
    for flow_id in ids(tree, "sequenceFlow"):
        assert len(edges.get(flow_id, [])) >= 2, flow_id


def test_forward_flows_go_left_to_right(laid_out):
    _, tree = laid_out
    shapes = bounds(tree)
    for flow in tree.iterfind(".//bpmn:sequenceFlow", NS):
        if flow.get("id") == "f_again":  # the loop back edge
            continue
        assert shapes[flow.get("sourceRef")][0] < shapes[flow.get("targetRef")][0], flow.get("id")


def test_boundary_event_sits_on_host_bottom_border(laid_out):
    _, tree = laid_out
    shapes = bounds(tree)
    hx, hy, hw, hh = shapes["sign"]
    x, y, w, h = shapes["timeout"]
    assert hx <= x and x + w <= hx + hw and y < hy + hh < y + h


def test_semantics_and_text_are_preserved(laid_out):
    path, tree = laid_out
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "起草合同" in text and "请起草" in text
    assert tree.getroot().nsmap["spiffworkflow"] == "http://spiffworkflow.org/bpmn/schema/1.0/core"
    assert tree.find(".//bpmndi:BPMNShape[@bpmnElement='split']", NS).get("isMarkerVisible") == "true"


def test_spiffworkflow_still_parses_and_validates(laid_out):
    path, _ = laid_out
    parser = SpiffBpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(str(path))
    assert parser.get_spec(PROCESS_ID).name == PROCESS_ID


def test_layout_is_idempotent(laid_out):
    path, _ = laid_out
    before = path.read_bytes()
    assert run_tool(path).returncode == 0
    assert path.read_bytes() == before


def test_check_passes_after_layout_and_fails_without_a_shape(laid_out):
    path, tree = laid_out
    assert run_tool("--check", path).returncode == 0

    shape = tree.find(".//bpmndi:BPMNShape[@bpmnElement='review']", NS)
    shape.getparent().remove(shape)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    result = run_tool("--check", path)
    assert result.returncode != 0
    assert str(path) in result.stdout and "review" in result.stdout


def test_check_fails_without_diagram(tmp_path):
    path = tmp_path / "raw.bpmn"
    path.write_text(SAMPLE, encoding="utf-8")
    result = run_tool("--check", path)
    assert result.returncode != 0 and str(path) in result.stdout
