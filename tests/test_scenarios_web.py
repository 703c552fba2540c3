"""The scenario pages: a tester browses, writes, runs and saves scenarios without seeing a child;
a draft whose replay failed deploys only after an explicit, audited confirmation; regional variants."""
import html

import pytest
from sqlalchemy import select

from tests.helpers import start_entrustment_case
from webapp import scenario_jobs
from webapp.models import AuditEntry, ProcessDefinition, SavedScenario
from webapp.services import definitions, variants
from webapp.services.errors import Invalid
from webapp.services.scenarios.steps.generic import child_for

SCHOOL_PATH = "monitoring_source == 'school_yearly_check'"
SCENARIO = '''场景: 季度走访发现苗头后交乡镇识别
    假如 "village.430104001001" 在 "430104001001" 为儿童"小新"发起"psych_referral"流程：
      | 字段              | 值       |
      | monitoring_source | quarterly_visit |
      | reason            | 季度走访 |
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    那么 任务"screen_psych"在"township.430104001000"的任务列表中
'''
SCHOOL = '''场景: 学校年度监测
    假如 "civil_affairs.430104000000" 在 "430104001001" 为儿童"小林"发起"psych_referral"流程：
      | 字段              | 值                  |
      | monitoring_source | school_yearly_check |
      | reason            | 学年监测            |
    那么 任务"school_check"在"education.430104000000"的任务列表中
'''


@pytest.fixture
def synchronous(monkeypatch):
    """Replays run to their end inside the request (the thread is the only thing replaced)."""
    monkeypatch.setattr(scenario_jobs, "start", lambda replay, real, now: scenario_jobs.run(replay, real, now))


def _sessions(app):
    return app.extensions["tonghu.sessionmaker"]()


def test_a_tester_lands_on_the_scenarios_and_sees_no_child(browser, api, start_data):
    case = start_entrustment_case(api, start_data)
    landing = browser.sign_in("tester")
    assert landing.headers["Location"].endswith("/scenarios/")
    page = browser.get("/scenarios/").get_data(as_text=True)
    assert "psych_referral" in page and "场景" in page
    psych = browser.get("/scenarios/psych_referral").get_data(as_text=True)
    assert "学校每学年心理健康监测由学校记录" in psych and "全国" in psych
    for path in (f"/cases/{case['id']}", "/designer/"):
        assert browser.get(path).status_code in (403, 404), path
    children = browser.get("/children/").get_data(as_text=True)
    assert start_data["child"]["name"] not in children and start_data["child"]["id_number"] not in children


def test_a_tester_is_created_without_an_office(app):
    from webapp.services import organisation
    with _sessions(app) as s:
        office = organisation.offices(s)[0]
        with pytest.raises(Invalid) as refused:
            organisation.create_user(s, "tester2", "测试员二", "Zq8!mV3#pL0x", "tester", office.id, None)
        assert "不属于任何单位" in refused.value.errors["office"]


def test_the_vocabulary_is_offered_with_its_parameters(browser):
    browser.sign_in("tester")
    page = html.unescape(browser.get("/scenarios/psych_referral/write").get_data(as_text=True))
    assert '"{username}" 办理任务"{task_name}"：' in page and "任务标识或中文名称" in page
    assert "数据表 | 字段 | 值 |" in page and "scenarios.js" in page


@pytest.mark.parametrize("text, message", [
    ("", "请填写场景"),
    ("场景: 甲\n    那么 天下太平\n", "第 2 行：那么 天下太平"),
    ("场景: 甲\n    那么 流程仍在进行中\n场景: 乙\n    那么 流程仍在进行中\n", "只写一个"),
    ("场景: 甲\n    那么 流程仍在进行中\x07\n", "控制字符"),
    ("场景: 甲\n  | a |\n", "场景中没有步骤"),
    ("场景: 甲\n    当 一步\n  场景大纲 乙\n  例子:\n", "场景文本无法解析：第 3 行"),
    ("场景 甲\n", "只写一个"),
])
def test_a_bad_scenario_is_refused_in_chinese_and_nothing_is_saved(browser, app, text, message):
    browser.sign_in("tester")
    browser.get("/scenarios/psych_referral/write")
    response = browser.post("/scenarios/psych_referral/write", {"text": text, "action": "save"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with _sessions(app) as s:
        assert s.scalars(select(SavedScenario)).all() == []


@pytest.mark.slow
def test_a_written_scenario_runs_is_saved_and_exported_for_make_test(browser, app, runner, synchronous, tmp_path):
    browser.sign_in("tester")
    browser.get("/scenarios/psych_referral/write")
    ran = browser.post("/scenarios/psych_referral/write", {"text": SCENARIO, "action": "run"})
    result = browser.get(ran.headers["Location"]).get_data(as_text=True)
    assert 'data-status="passed"' in result and "全部 1 个通过" in result
    saved = browser.post("/scenarios/psych_referral/write", {"text": SCENARIO, "action": "save"})
    assert saved.status_code == 302
    assert "季度走访发现苗头后交乡镇识别" in browser.get("/scenarios/psych_referral").get_data(as_text=True)
    out = runner.invoke(args=["scenarios", "export", "--to", str(tmp_path)])
    assert out.exit_code == 0, out.output
    from webapp.services.scenarios import features
    exported = features.read_features(tmp_path)
    assert [s.name for f in exported for s in f.scenarios] == ["季度走访发现苗头后交乡镇识别"]
    assert exported[0].source == "psych_referral.saved.feature" and "psych_referral" in exported[0].procedures


@pytest.mark.slow
def test_a_failing_draft_deploys_only_with_an_audited_confirmation(browser, app, synchronous):
    from tests.test_designer import Designer
    with _sessions(app) as s:
        xml = definitions.latest(s, "psych_referral").files["psych_referral.bpmn"]
        before = definitions.latest(s, "psych_referral").version
    broken = xml.replace(SCHOOL_PATH, "monitoring_source == 'no_such_source'")
    designer = Designer(browser)
    assert designer.post("/designer/procedures/psych_referral/drafts",
                         {"file": "psych_referral.bpmn", "xml": broken}).status_code == 200
    browser.get("/scenarios/psych_referral/write")
    ran = browser.post("/scenarios/psych_referral/write", {"text": SCHOOL, "action": "run"})
    result = html.unescape(browser.get(ran.headers["Location"]).get_data(as_text=True))
    assert 'data-status="failed"' in result and "education.430104000000 的列表中没有“school_check”" in result
    assert 'id="confirm-failing"' in result
    json_deploy = designer.post("/designer/procedures/psych_referral/deploy", {"files": {"psych_referral.bpmn": broken}})
    assert json_deploy.status_code == 409 and json_deploy.get_json()["needs_confirmation"] is True
    refused = browser.post("/scenarios/psych_referral/deploy", {"note": "试试"})
    assert refused.status_code == 302
    with _sessions(app) as s:
        assert definitions.latest(s, "psych_referral").version == before
    deployed = browser.post("/scenarios/psych_referral/deploy", {"note": "已知学校监测未通过", "confirm_failing": "1"})
    assert deployed.status_code == 302
    with _sessions(app) as s:
        assert definitions.latest(s, "psych_referral").version == before + 1
        confirmed = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "designer.deploy.failing_scenarios_confirmed")).all()
        assert len(confirmed) == 1 and confirmed[0].username == "designer"


def test_a_case_starts_on_the_variant_of_its_place(app, runner, tmp_path, api):
    folder = tmp_path / "shanghai"
    folder.mkdir()
    with _sessions(app) as s:
        national = definitions.latest(s, "psych_referral")
        files = dict(national.files)
    for name, content in files.items():
        (folder / name).write_text(content.replace('name="心理健康', 'name="上海：心理健康', 1), encoding="utf-8")
    for bad in ("3", "99", "4301x"):
        out = runner.invoke(args=["deploy", str(folder), "--region", bad])
        assert out.exit_code != 0 and ("前缀" in out.output or "没有以" in out.output), out.output
    out = runner.invoke(args=["deploy", str(folder), "--region", "31"])
    assert out.exit_code == 0 and "31 地区版本" in out.output, out.output
    data = {"monitoring_source": "quarterly_visit", "reason": "季度走访",
            "child": child_for("小沪")}
    shanghai = api("village.310104001001").post("/processes/psych_referral/instances", {"region": "310104001001", "data": data})
    data["child"] = child_for("小湘")
    hunan = api("village.430104001001").post("/processes/psych_referral/instances", {"region": "430104001001", "data": data})
    assert shanghai.status_code == 201 and hunan.status_code == 201, (shanghai.get_json(), hunan.get_json())
    with _sessions(app) as s:
        variant = definitions.latest(s, "psych_referral", "31")
        assert variant.version == national.version + 1 and variant.region_prefix == "31"
        assert definitions.latest(s, "psych_referral").id == national.id  # national cases and designers stay on it
        assert variants.for_region(s, "psych_referral", "310104001001").id == variant.id
        assert variants.for_region(s, "psych_referral", "430104001001").id == national.id
        assert [(v.prefix, v.definition.id) for v in variants.variants(s, "psych_referral")] == [("", national.id), ("31", variant.id)]
        versions = dict(s.execute(select(ProcessDefinition.id, ProcessDefinition.version)).all())
    assert api("village.310104001001").get(f"/instances/{shanghai.get_json()['id']}").get_json()["version"] == versions[variant.id]
    assert api("village.430104001001").get(f"/instances/{hunan.get_json()['id']}").get_json()["version"] == versions[national.id]
