"""New procedures and decision tables in a real headless Chromium.

A designer creates a procedure from the blank template, drops a task onto its flow, makes it a
user task with a form in the (Chinese) properties panel, validates, deploys; the village office
starts a case and finds the task. A designer edits a rule of the psychological risk table in
dmn-js, meets the sandbox's refusal at the cell, fixes it, deploys and reads the changed rule in
the version diff. Screenshots: test-artifacts/browser/.
"""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VILLAGE = "village.430104001001"
CHILD = {"name": "小红", "id_number": "430104201601010020", "birth_date": "2016-01-01", "gender": "female"}


def wait_status(page, text):
    page.wait_for_function("text => document.getElementById('designer-status').textContent.includes(text)", arg=text)


def centre(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_new_procedure_from_the_template_gets_a_task_with_a_form_and_starts_a_case(pages, api):
    designer = pages("new-procedure")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/")
    page.click("#new-procedure-link")
    page.fill("#f-process_id", "School Help")  # not snake_case: refused, what was typed is kept
    page.fill("#f-name", "辍学儿童劝返帮扶")
    page.select_option("#f-department", "village")
    page.select_option("#f-level", "village")
    page.click("#create-procedure")
    assert "snake_case" in page.inner_text("#err-process_id")
    assert page.input_value("#f-name") == "辍学儿童劝返帮扶"
    designer.shot("id-refused")
    page.fill("#f-process_id", "school_dropout_help")
    page.click("#create-procedure")
    page.wait_for_selector("#designer[data-ready=true]")
    page.wait_for_selector('#canvas [data-element-id="case_opened"]')
    assert "新流程，尚未部署" in page.inner_text("h1")
    designer.shot("template")

    # the properties panel speaks Chinese: the start event's header and Tonghu's groups
    page.click('#canvas [data-element-id="case_opened"]')
    page.wait_for_selector("#properties .bio-properties-panel-header-type")
    assert page.inner_text("#properties .bio-properties-panel-header-type") == "开始事件"
    assert "表单和期限" in page.inner_text("#properties") and "基本信息" in page.inner_text("#properties")
    assert page.locator("#bio-properties-panel-tonghu-form").input_value() == "school_dropout_help_start.json"

    # a task dropped onto the flow splits it; changed into a user task; named; given a form
    page.click('.djs-palette [data-action="create.task"]')
    x, y = centre(page, '#canvas [data-element-id="flow_opened_closed"]')
    page.mouse.move(x - 40, y)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_selector('#canvas .djs-element.selected[data-element-id^="Activity_"]')
    task_id = page.locator("#canvas .djs-element.selected").first.get_attribute("data-element-id")
    page.click('.djs-context-pad [data-action="replace"]')
    page.click('.djs-popup [data-id="replace-with-user-task"]')
    page.wait_for_function("() => document.querySelector('#properties .bio-properties-panel-header-type').textContent === '用户任务'")
    task_id = page.locator("#canvas .djs-element.selected").first.get_attribute("data-element-id")
    page.fill("#bio-properties-panel-name", "入户劝返")
    page.select_option("#bio-properties-panel-tonghu-form", "ordinary_support.json")
    page.fill("#bio-properties-panel-tonghu-due", "P7D")
    page.click('#canvas [data-element-id="case_closed"]')  # leave the field
    designer.shot("task-added")
    page.click("#check")
    wait_status(page, "校验通过")
    page.fill("#deploy-note", "新建流程")
    page.once("dialog", lambda dialog: dialog.accept())  # deploy asks for confirmation first
    page.click("#deploy")
    wait_status(page, "已部署")
    assert "辍学儿童劝返帮扶 版本 1" in page.inner_text("#designer-status")
    designer.shot("deployed")

    village = api(VILLAGE)
    started = village.post("/processes/school_dropout_help/instances",
                           {"region": "430104001001", "data": {"child": CHILD, "reason": "初二辍学在家"}})
    assert started.status_code == 201, started.get_json()
    task = next(t for t in village.get("/tasks").get_json() if t["instance_id"] == started.get_json()["id"])
    assert task["name"] == task_id and task["title"] == "入户劝返" and task["due"]

    official = pages("new-procedure-official")
    official.login(VILLAGE)
    official.goto("/")
    assert "入户劝返" in official.page.inner_text("main")
    official.shot("task-list")


def test_a_designer_edits_a_decision_rule_sees_the_refusal_deploys_and_reads_the_diff(pages):
    designer = pages("decision-table")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/procedures/psych_referral")
    page.click("#open-tables")
    page.wait_for_selector("#tables[data-ready=true][data-view=decisionTable]")
    cell = page.locator('#table-canvas td[data-element-id="rule_harm_to_others_out"]')
    assert cell.inner_text().strip() == "'crisis'"
    assert "命中策略" in page.inner_text("#table-canvas")
    designer.shot("table")

    def type_into(text):
        cell.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        page.click("h1")  # leave the cell

    type_into("__import__('os').getcwd()")
    page.wait_for_selector('#file-tabs [data-file="psych_risk_level.dmn"]:has-text("●")')
    page.click("#check")
    wait_status(page, "校验发现问题")
    assert "规则输出" in page.inner_text("#problem-list")
    page.wait_for_selector('#table-canvas td[data-element-id="rule_harm_to_others_out"].tonghu-problem')
    page.click("#deploy")
    wait_status(page, "未部署")
    designer.shot("cell-refused")

    type_into("'high'")
    page.click("#save-draft")
    wait_status(page, "草稿已保存")
    assert page.locator("#table-canvas .tonghu-problem").count() == 0
    page.reload()
    page.wait_for_selector("#tables[data-ready=true][data-view=decisionTable]")
    assert "草稿" in page.inner_text('#file-tabs [data-file="psych_risk_level.dmn"]')
    assert page.locator('#table-canvas td[data-element-id="rule_harm_to_others_out"]').inner_text().strip() == "'high'"
    page.fill("#deploy-note", "伤人危险改为高风险")
    page.click("#deploy")
    wait_status(page, "已部署")
    assert "心理健康评估与转介 版本 2" in page.inner_text("#designer-status") or "版本 2" in page.inner_text("#designer-status")
    designer.shot("deployed")

    page.click("#diff-link")
    page.wait_for_selector("#changes")
    row = page.locator('#changes tr[data-element="rule_harm_to_others"]')
    assert "修改" in row.inner_text() and "'crisis'" in row.locator("del").inner_text()
    assert "'high'" in row.locator("ins").inner_text()
    assert page.locator("#changes tbody tr").count() == 1
    designer.shot("diff")
