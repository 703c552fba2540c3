"""Scenarios and deploy confirmation in a real headless Chromium.

A designer imports a draft that breaks the school's path of the psychological referral; a policy
tester replays every scenario of the procedure against it and sees exactly the school's scenarios
fail, with the failing step and the reason in Chinese. The modeler's deploy then meets the server's
409 `needs_confirmation`: a Chinese question; "no" deploys nothing, "yes" deploys and is audited.
A tester writes a new scenario with the step vocabulary, runs it, saves it and sees it pass.
A designer deploys a procedure as Shanghai's variant by choosing the region.
Screenshots: test-artifacts/browser/.
"""
import time

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry
from webapp.services import definitions, variants

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCHOOL_PATH = "monitoring_source == 'school_yearly_check'"
SCHOOL_SCENARIO = "学校每学年心理健康监测由学校记录"
SCHOOL_ROUTING_SCENARIO = "学校年度监测在儿童就读学校的任务列表中，变更学校后转至新学校"
# the yearly check's concern starts the referral through the school's path; so does the school's own start
SCHOOL_CHECK_SCENARIO = "学校年度心理健康监测：每学年为在校学生开启一项轻量任务，未见异常只记入档案，发现苗头即发起转介"
SCHOOL_START_SCENARIO = "学校为本校学生发起心理健康转介，不能为其他学校的学生发起"
SCENARIO = '''场景: 季度走访发现苗头后交乡镇识别
    假如 "village.430104001001" 在 "430104001001" 为儿童"小新"发起"psych_referral"流程：
      | 字段              | 值       |
      | monitoring_source | quarterly_visit |
      | reason            | 季度走访 |
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    那么 任务"screen_psych"在"township.430104001000"的任务列表中
'''


def wait_status(page, text, timeout=30000):
    page.wait_for_function("text => document.getElementById('designer-status').textContent.includes(text)",
                           arg=text, timeout=timeout)


def wait_for_run(page, limit=300):
    """The run page refreshes itself while the replay runs (off the web worker): wait for its end."""
    deadline = time.monotonic() + limit
    while "running" in (page.get_attribute("#run-summary .run-status", "class") or ""):
        assert time.monotonic() < deadline, "the replay did not finish"
        page.wait_for_timeout(1000)
        page.wait_for_load_state()
    return page.get_attribute("#run-summary .run-status", "class").split()[-1]


def sessions(app):
    return app.extensions["tonghu.sessionmaker"]()


def test_a_broken_draft_fails_exactly_the_school_scenarios_and_deploys_only_when_confirmed(pages, app):
    with sessions(app) as s:
        national = definitions.latest(s, "psych_referral")
        xml = national.files["psych_referral.bpmn"]
    assert SCHOOL_PATH in xml
    broken = xml.replace(SCHOOL_PATH, "monitoring_source == 'no_such_source'")

    designer = pages("scenarios-designer")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/procedures/psych_referral/edit")
    page.wait_for_selector("#designer[data-ready=true]")
    page.set_input_files("#import-file", files=[{"name": "psych_referral.bpmn", "mimeType": "application/xml",
                                                 "buffer": broken.encode("utf-8")}])
    page.wait_for_selector('#file-tabs [data-file="psych_referral.bpmn"]:has-text("●")')  # imported, unsaved
    wait_status(page, "校验通过")  # the import is validated at once: the broken path is still a valid diagram
    page.click("#save-draft")
    wait_status(page, "草稿已保存")

    tester = pages("scenarios-tester")
    tester.login("tester")
    tpage = tester.page
    tester.goto("/scenarios/psych_referral")
    assert "psych_referral.bpmn" in tpage.inner_text("#draft-state")
    tpage.click("#replay-all")
    tpage.wait_for_selector("#run-results")
    assert wait_for_run(tpage) == "failed"
    tester.shot("replay-failed")
    failed = tpage.locator('#run-results tr.result[data-status="failed"]')
    assert [failed.nth(i).get_attribute("data-name") for i in range(failed.count())] == [
        SCHOOL_SCENARIO, SCHOOL_CHECK_SCENARIO, SCHOOL_START_SCENARIO, SCHOOL_ROUTING_SCENARIO]
    first = tpage.locator(f'#run-results tr.result[data-name="{SCHOOL_SCENARIO}"]')
    assert '那么 任务"school_check"在"education.430104000000"的任务列表中' in first.locator(".failed-step").inner_text()
    assert "education.430104000000 的列表中没有“school_check”" in first.locator(".reason").inner_text()
    assert "失败" in first.inner_text() or "未通过" in first.inner_text()
    passed = tpage.locator('#run-results tr.result[data-status="passed"]').count()
    assert passed >= 3 and tpage.locator('#run-results tr.result[data-status="timeout"]').count() == 0

    # the modeler's deploy: the server asks for confirmation, in Chinese; "no" deploys nothing
    page.reload()
    page.wait_for_selector("#designer[data-ready=true]")
    questions = []

    def answer(accept_failing):
        def on_dialog(dialog):
            questions.append(dialog.message)
            if "场景未通过" in dialog.message and not accept_failing:
                dialog.dismiss()
            else:
                dialog.accept()
        return on_dialog

    handler = answer(False)
    page.on("dialog", handler)
    page.fill("#deploy-note", "学校监测条件改写")
    page.click("#deploy")
    wait_status(page, "未部署")
    assert "4 个场景未通过" in page.inner_text("#designer-status")
    assert len(questions) == 2 and "此草稿有 4 个场景未通过" in questions[1] and "审计日志" in questions[1]
    designer.shot("deploy-declined")
    with sessions(app) as s:
        assert definitions.latest(s, "psych_referral").version == national.version
    page.remove_listener("dialog", handler)
    page.on("dialog", answer(True))
    page.click("#deploy")
    wait_status(page, "已部署")
    designer.shot("deploy-confirmed")
    with sessions(app) as s:
        assert definitions.latest(s, "psych_referral").version == national.version + 1
        confirmed = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "designer.deploy.failing_scenarios_confirmed")).all()
        assert [(a.username, a.target) for a in confirmed] == [("designer", "process:psych_referral")]


def test_a_tester_writes_runs_and_saves_a_scenario_that_passes(pages):
    tester = pages("scenario-writer")
    tester.login("tester")
    page = tester.page
    tester.goto("/scenarios/psych_referral")
    page.click("#write-scenario")
    page.wait_for_selector("#vocabulary")
    step = page.locator('button.insert-step[data-step*="任务列表中"]').first
    step.click()
    assert step.get_attribute("data-step") in page.input_value("#scenario-text")
    page.fill("#scenario-text", SCENARIO)
    page.click("#run-scenario")
    page.wait_for_selector("#run-results")
    assert wait_for_run(page) == "passed"
    assert page.locator('#run-results tr.result[data-status="passed"]').get_attribute("data-name") == "季度走访发现苗头后交乡镇识别"
    assert "全部 1 个通过" in page.inner_text("#run-summary")
    tester.shot("written-passed")
    page.go_back()
    page.wait_for_selector("#scenario-text")
    page.fill("#scenario-text", SCENARIO)
    page.click("#save-scenario")
    page.wait_for_selector('#saved-scenarios li[data-name="季度走访发现苗头后交乡镇识别"]')
    tester.shot("saved")
    # the saved one is replayed with the procedure's: it passes there too
    page.click("#replay-all")
    page.wait_for_selector("#run-results")
    wait_for_run(page)
    saved = page.locator('#run-results tr.result[data-name="季度走访发现苗头后交乡镇识别"]')
    assert saved.get_attribute("data-status") == "passed"


def test_a_designer_deploys_a_procedure_as_a_regional_variant(pages, app):
    designer = pages("variant")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/procedures/entrustment_care/edit")
    page.wait_for_selector("#designer[data-ready=true]")
    options = page.locator("#deploy-region option")
    assert options.first.inner_text() == "全国版本（未设地区版本的地方）"
    page.select_option("#deploy-region", "31")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#deploy")
    wait_status(page, "已部署")
    assert "上海市地区版本" in page.inner_text("#designer-status")
    designer.shot("variant-deployed")
    with sessions(app) as s:
        variant = definitions.latest(s, "entrustment_care", "31")
        assert variant is not None and variant.region_prefix == "31"
        assert variants.for_region(s, "entrustment_care", "310104001001").id == variant.id
        assert variants.for_region(s, "entrustment_care", "430104001001").id != variant.id
