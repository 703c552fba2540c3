"""The designer and the case diagram in a real headless Chromium (Debian's, driven by Playwright).

A designer renames a task, saves the draft, meets a validation problem for a lane with an
unknown department, fixes it in the properties panel, deploys; a new case starts on the new
version while an old one continues on the old; an official sees the case diagram with the
current step and its office marked. Screenshots: test-artifacts/browser/.
"""
import json
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
CIVIL = "civil_affairs.430104000000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保", "living_conditions": "祖孙二人同住"}
NEW_NAME = "入户调查监护情况（新版）"


def start_case(api, start_data, id_number=None):
    data = {**start_data, "child": {**start_data["child"], **({"id_number": id_number} if id_number else {})}}
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": data})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def click_element(page, element_id, where="center"):
    """Click a diagram element as a person would (lanes on their empty right end)."""
    box = page.locator(f'#canvas [data-element-id="{element_id}"]').first.bounding_box()
    x = box["x"] + (box["width"] - 12 if where == "right" else box["width"] / 2)
    page.mouse.click(x, box["y"] + box["height"] / 2)


def wait_status(page, text):
    page.wait_for_function("text => document.getElementById('designer-status').textContent.includes(text)", arg=text)


def test_designer_changes_validates_and_deploys_and_the_official_sees_the_case_diagram(pages, api, start_data, tmp_path):
    old_case = start_case(api, start_data)

    # -- the designer opens the procedure ---------------------------------------------------
    designer = pages("designer")
    designer.login("designer")
    page = designer.page
    page.click("header nav >> text=流程设计")
    page.wait_for_selector("table.procedures")
    designer.shot("procedures")
    page.click("table.procedures >> text=五方委托照护协议")
    page.wait_for_selector("#versions")
    designer.shot("procedure")
    page.click("#open-designer")
    page.wait_for_selector("#designer[data-ready=true]")
    page.wait_for_selector('#canvas [data-element-id="assess_guardianship"]')
    designer.shot("modeler")

    # -- renames a task of the called assessment and saves the draft -----------------------------
    page.click('#file-tabs [data-file="guardianship_assessment.bpmn"]')
    page.wait_for_selector('#designer[data-current="guardianship_assessment.bpmn"]')
    click_element(page, "township_home_investigation")
    name = page.locator("#bio-properties-panel-name")
    assert name.input_value() == "入户调查监护情况"
    assert page.inner_text(".bio-properties-panel-header-type").strip() == "用户任务"  # not "USER TASK"
    name.fill(NEW_NAME)
    page.wait_for_selector('#file-tabs [data-file="guardianship_assessment.bpmn"]:has-text("●")')
    designer.shot("renamed")
    page.click("#save-draft")
    wait_status(page, "草稿已保存")
    assert "●" not in page.inner_text('#file-tabs [data-file="guardianship_assessment.bpmn"]')
    designer.shot("draft-saved")
    page.reload()
    page.wait_for_selector("#designer[data-ready=true]")
    assert "草稿" in page.inner_text('#file-tabs [data-file="guardianship_assessment.bpmn"]')

    # -- a diagram whose lane names an unknown department: the problem is listed and highlighted --
    page.click('#file-tabs [data-file="entrustment_care.bpmn"]')
    page.wait_for_selector('#designer[data-current="entrustment_care.bpmn"]')
    deployed = Path("processes/entrustment_care.bpmn").read_text(encoding="utf-8")
    start = deployed.index('<bpmn:lane id="lane_care_institution"')
    bad = deployed[:start] + deployed[start:].replace('value="care_institution"', 'value="orphanage"', 1)
    upload = tmp_path / "entrustment_care.bpmn"
    upload.write_text(bad, encoding="utf-8")
    page.set_input_files("#import-file", str(upload))
    wait_status(page, "校验发现问题")
    problems = page.locator("#problem-list li")
    assert "泳道“委托照护机构”的部门“orphanage”不是已知部门" in problems.first.inner_text()
    page.wait_for_selector('#canvas [data-element-id="sign_institution"].tonghu-problem')
    page.wait_for_selector('#canvas [data-element-id="admit_child"].tonghu-problem')
    designer.shot("validation-problem")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.click("#deploy")
    wait_status(page, "未部署")
    assert "部署为新版本" in dialogs[-1]  # deploy asks first

    # -- fixes it in the properties panel: the department is chosen from the real list ----------------
    click_element(page, "lane_care_institution", where="right")
    department = page.locator("#bio-properties-panel-tonghu-department")
    assert department.input_value() == "orphanage"
    assert "未知" in department.locator("option:checked").inner_text()
    department.select_option("care_institution")
    assert page.locator("#bio-properties-panel-tonghu-level").input_value() == "county"
    designer.shot("lane-fixed")
    page.click("#check")
    wait_status(page, "校验通过")
    assert page.locator("#problems").is_hidden()
    assert page.locator("#canvas .tonghu-problem").count() == 0

    # -- deploys --------------------------------------------------------------------------------
    page.fill("#deploy-note", "入户调查改名")
    page.click("#deploy")
    wait_status(page, "已部署")
    assert "五方委托照护协议 版本 2" in page.inner_text("#designer-status")
    assert page.inner_text("#based-on") == "基于第 2 版"  # the page now edits version 2
    designer.shot("deployed")

    # -- a new case starts on version 2; the old one continues on version 1 --------------------------
    new_case = start_case(api, start_data, id_number="430104201501010031")
    township = api(TOWNSHIP)
    assert township.get(f"/instances/{new_case}").get_json()["version"] == 2
    assert township.get(f"/instances/{old_case}").get_json()["version"] == 1
    tasks = {t["instance_id"]: t for t in township.get("/tasks").get_json()}
    assert tasks[new_case]["title"] == NEW_NAME and tasks[old_case]["title"] == "入户调查监护情况"
    done = township.post(f"/tasks/{tasks[old_case]['id']}/complete", {"data": INVESTIGATION})
    assert done.status_code == 200, done.get_json()
    old = api(CIVIL).get(f"/instances/{old_case}").get_json()
    assert old["version"] == 1 and [t["name"] for t in old["open_tasks"]] == ["assess_capacity"]

    page.click("#versions-link")
    page.wait_for_selector("#versions")
    rows = {r.get_attribute("data-version"): r for r in page.locator("#versions tbody tr").all()}
    assert rows["2"].locator("td.running").inner_text() == "1" and "流程设计员" in rows["2"].inner_text()
    assert "入户调查改名" in rows["2"].inner_text()
    assert rows["1"].locator("td.running").inner_text() == "1"
    designer.shot("versions")
    rows["2"].locator("text=相对第 1 版的变化").click()
    page.wait_for_selector("#changes")
    changed = page.locator('#changes tr[data-element="township_home_investigation"]')
    assert "修改" in changed.inner_text() and NEW_NAME in changed.inner_text()
    assert "名称" in changed.inner_text() and "姓名" not in changed.inner_text()
    assert page.locator('#changes tr[data-element="lane_care_institution"]').count() == 0
    designer.shot("difference")

    # -- an official sees the case diagram with the current step and its office marked ----------------
    official = pages("official")
    official.login(CIVIL)
    diagram = official.page
    official.goto(f"/cases/{new_case}")
    official.shot("case")
    diagram.click("#case-diagram-link")
    diagram.wait_for_selector("#case-diagram[data-ready=true]")
    diagram.wait_for_selector('#canvas [data-element-id="report_received"].tonghu-done')
    diagram.wait_for_selector('#canvas [data-element-id="assess_guardianship"].tonghu-current')
    assert diagram.evaluate("tonghuViewer.get('canvas').zoom()") >= 0.85  # labels readable, not ~6 px
    current_box = diagram.locator('#canvas [data-element-id="assess_guardianship"]').bounding_box()
    canvas_box = diagram.locator("#canvas").bounding_box()
    assert canvas_box["x"] <= current_box["x"] and current_box["x"] + current_box["width"] <= canvas_box["x"] + canvas_box["width"]
    assert canvas_box["y"] <= current_box["y"] and current_box["y"] + current_box["height"] <= canvas_box["y"] + canvas_box["height"]
    assert "望月湖街道办事处" in diagram.inner_text("#canvas .tonghu-office-badge")
    official.shot("case-diagram")
    diagram.click('#file-tabs [data-file="guardianship_assessment.bpmn"]')
    diagram.wait_for_selector('#case-diagram[data-file="guardianship_assessment.bpmn"]')
    current = diagram.locator('#canvas [data-element-id="township_home_investigation"]')
    assert "tonghu-current" in current.get_attribute("class")
    assert NEW_NAME in current.text_content()
    assert diagram.inner_text("#canvas .tonghu-office-badge") == "望月湖街道办事处"
    assert "望月湖街道办事处" in diagram.inner_text("#current-steps")
    official.shot("case-diagram-called")

    official.goto(f"/cases/{old_case}/diagram")
    diagram.wait_for_selector("#case-diagram[data-ready=true]")
    diagram.click('#file-tabs [data-file="guardianship_assessment.bpmn"]')
    diagram.wait_for_selector('#canvas [data-element-id="township_home_investigation"].tonghu-done')
    diagram.wait_for_selector('#canvas [data-element-id="assess_capacity"].tonghu-current')
    assert diagram.locator('#canvas [data-element-id="township_home_investigation"]').text_content().strip() == "入户调查监护情况"
    official.shot("old-case-diagram")


def test_designer_edits_a_form_with_a_live_preview(pages):
    designer = pages("forms")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/forms/")
    page.wait_for_selector("#forms")
    designer.shot("forms")
    page.click('#forms tr[data-form="admit_child.json"] a')
    page.wait_for_selector("#preview .field")
    designer.shot("form")
    schema = json.loads(page.input_value("#schema"))
    schema["properties"]["room"] = {"type": "string", "title": "房间号"}
    page.fill("#schema", json.dumps(schema, ensure_ascii=False, indent=2))
    page.wait_for_selector('#preview [data-field="room"]')
    assert "房间号" in page.inner_text("#preview")
    designer.shot("form-preview")
    page.fill("#schema", json.dumps({**schema, "type": "array"}, ensure_ascii=False))
    page.wait_for_selector("#preview-problems li")
    assert "顶层必须是" in page.inner_text("#preview-problems")
    page.click("#save-form")
    page.wait_for_selector("#form-problems")
    designer.shot("form-refused")
    page.fill("#schema", json.dumps(schema, ensure_ascii=False, indent=2))
    page.click("#save-form")
    page.wait_for_selector(".flash-success")
    assert re.search("表单已保存", page.inner_text(".flashes"))
    assert "房间号" in page.inner_text("#preview")
    designer.shot("form-saved")
