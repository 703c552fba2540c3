"""The designer shows check warnings (提示) as well as problems, in the panel and on the diagram
(issue 18): a boundary event waiting for a message nobody in the files sends can run, so the
draft validates, but the designer is told who must send it; a lane fault beside it stays a
problem, marked as one. In a real headless Chromium, as the other designer tests."""
import subprocess
import sys
from pathlib import Path

import pytest

from .test_designer_browser import wait_status

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BOUNDARY = ('<bpmn:boundaryEvent id="court_notice" name="法院通知" attachedToRef="sign_institution" cancelActivity="false">'
            '<bpmn:outgoing>court_notice_flow</bpmn:outgoing>'
            '<bpmn:messageEventDefinition id="court_notice_def" messageRef="court_notice_msg"/></bpmn:boundaryEvent>'
            '<bpmn:sequenceFlow id="court_notice_flow" sourceRef="court_notice" targetRef="court_notice_end"/>'
            '<bpmn:endEvent id="court_notice_end" name="已知悉"><bpmn:incoming>court_notice_flow</bpmn:incoming></bpmn:endEvent>')


def diagram_with_a_message_nobody_sends(tmp_path, lane_department="care_institution") -> Path:
    text = Path("processes/entrustment_care.bpmn").read_text(encoding="utf-8")
    text = text.replace("<bpmn:flowNodeRef>sign_institution</bpmn:flowNodeRef>",
                        "<bpmn:flowNodeRef>sign_institution</bpmn:flowNodeRef><bpmn:flowNodeRef>court_notice</bpmn:flowNodeRef>"
                        "<bpmn:flowNodeRef>court_notice_end</bpmn:flowNodeRef>", 1)
    text = text.replace('<bpmn:userTask id="sign_institution"', BOUNDARY + '<bpmn:userTask id="sign_institution"', 1)
    text = text.replace("<bpmn:process ", '<bpmn:message id="court_notice_msg" name="court_notice"/><bpmn:process ', 1)
    if lane_department != "care_institution":
        start = text.index('<bpmn:lane id="lane_care_institution"')
        text = text[:start] + text[start:].replace('value="care_institution"', f'value="{lane_department}"', 1)
    path = tmp_path / "entrustment_care.bpmn"
    path.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "tools/bpmn_layout.py", str(path)], check=True, capture_output=True)  # DI for the new shapes
    return path


def open_designer(pages):
    designer = pages("designer")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/procedures/entrustment_care/edit")
    page.wait_for_selector("#designer[data-ready=true]")
    page.wait_for_selector('#designer[data-current="entrustment_care.bpmn"]')
    return designer, page


def test_a_warning_is_listed_and_marked_and_the_draft_still_validates(pages, tmp_path):
    designer, page = open_designer(pages)
    page.set_input_files("#import-file", str(diagram_with_a_message_nobody_sends(tmp_path)))
    wait_status(page, "校验通过，有提示需要阅读")
    assert page.locator("#problems").is_visible()
    assert page.inner_text("#problems h2") == "问题与提示"
    item = page.locator("#problem-list li.warning")
    assert item.count() == 1 and page.locator("#problem-list li.problem").count() == 0
    assert "提示" in item.inner_text() and "“法院通知”等待消息“court_notice”" in item.inner_text()
    assert "POST /api/v1/instances/{id}/messages" in item.inner_text()
    page.wait_for_selector('#canvas [data-element-id="court_notice"].tonghu-warning')
    assert page.locator("#canvas .tonghu-problem").count() == 0
    designer.shot("warning")
    page.click("#problem-list li.warning")  # a click selects the element, as for a problem
    page.wait_for_selector('#canvas [data-element-id="court_notice"].selected')
    assert not designer.errors, designer.errors


def test_problems_and_warnings_side_by_side(pages, tmp_path):
    designer, page = open_designer(pages)
    page.set_input_files("#import-file", str(diagram_with_a_message_nobody_sends(tmp_path, "orphanage")))
    wait_status(page, "校验发现问题")
    assert page.locator("#problem-list li.problem").count() >= 1
    assert "不是已知部门" in page.locator("#problem-list li.problem").first.inner_text()
    assert page.locator("#problem-list li.warning").count() == 1
    page.wait_for_selector('#canvas [data-element-id="sign_institution"].tonghu-problem')
    page.wait_for_selector('#canvas [data-element-id="court_notice"].tonghu-warning')
    designer.shot("problem-and-warning")
    assert not designer.errors, designer.errors
