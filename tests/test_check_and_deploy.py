"""`tonghu check` and `tonghu deploy`: clear messages, non-zero exits, versions that stick."""
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENTRUSTMENT = "entrustment_care.bpmn"


@pytest.fixture
def processes(tmp_path):
    target = tmp_path / "processes"
    shutil.copytree(ROOT / "processes", target)
    return target


def edit(directory: Path, old: str, new: str, filename=ENTRUSTMENT):
    """Replace the first match of `old`, a regular expression, as a designer's slip would."""
    path = directory / filename
    text, count = re.subn(old, new, path.read_text(encoding="utf-8"), count=1)
    assert count == 1, old
    path.write_text(text, encoding="utf-8")


def test_shipped_processes_pass(runner):
    result = runner.invoke(args=["check", str(ROOT / "processes")])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output


@pytest.mark.parametrize("old, new, message", [
    ('name="department" value="care_institution"', 'name="department" value="orphanage"', "“orphanage”不是已知部门"),
    ('name="level" value="township"', 'name="level" value="galaxy"', "不是已知层级"),
    (r'<spiffworkflow:property name="formJsonSchemaFilename" value="admit_child.json" ?/>', "", "没有指定表单"),
    ('value="admit_child.json"', 'value="no_such_form.json"', "forms/no_such_form.json 不存在"),
    ('name="监护能力评估结论？" default="flow_capacity_insufficient"', 'name="监护能力评估结论？"', "既无条件也不是默认分支"),
    ('serviceTaskOperator id="generate_agreement_document"', 'serviceTaskOperator id="fax_the_agreement"', "“fax_the_agreement”未注册"),
    ('name="dueIn" value="P7D"', 'name="dueIn" value="next week"', "不是 ISO 8601 时长"),
    ("guardianship_capacity == &apos;adequate&apos;|guardianship_capacity == 'adequate'", "guardianship_capacity ==", "不是有效的表达式"),
])
def test_check_rejects_broken_diagrams(runner, processes, old, new, message):
    edit(processes, old, new)
    result = runner.invoke(args=["check", str(processes)])
    assert result.exit_code != 0
    assert message in result.output, result.output


def test_check_rejects_a_task_outside_any_lane(runner, processes):
    edit(processes, r"<bpmn:flowNodeRef>admit_child</bpmn:flowNodeRef>", "")
    result = runner.invoke(args=["check", str(processes)])
    assert result.exit_code != 0 and "不在任何泳道中" in result.output


def test_check_reports_unparseable_xml(runner, processes):
    (processes / ENTRUSTMENT).write_text("<bpmn:definitions", encoding="utf-8")
    result = runner.invoke(args=["check", str(processes)])
    assert result.exit_code != 0 and "XML" in result.output


def test_deploy_refuses_a_broken_diagram_and_keeps_the_old_version(runner, processes, api):
    edit(processes, 'value="admit_child.json"', 'value="no_such_form.json"')
    result = runner.invoke(args=["deploy", str(processes)])
    assert result.exit_code != 0 and "未部署" in result.output
    assert api("village.430104001001").get("/processes/entrustment_care").get_json()["version"] == 1


def test_unchanged_files_make_no_new_version(runner):
    result = runner.invoke(args=["deploy", str(ROOT / "processes")])
    assert result.exit_code == 0 and "没有变化" in result.output


def test_running_cases_stay_on_their_version(runner, processes, api, start_data):
    village, township = api("village.430104001001"), api("township.430104001000")
    old = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data}).get_json()
    edit(processes, 'name="入户调查监护情况"', 'name="入户调查监护情况（新版）"', "guardianship_assessment.bpmn")
    result = runner.invoke(args=["deploy", str(processes)])
    assert result.exit_code == 0 and "entrustment_care 第 2 版" in result.output, result.output
    new = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data}).get_json()
    assert (old["version"], new["version"]) == (1, 2)
    titles = {t["instance_id"]: t["title"] for t in township.get("/tasks").get_json()}
    assert titles == {old["id"]: "入户调查监护情况", new["id"]: "入户调查监护情况（新版）"}


def test_a_user_task_in_a_process_without_lanes_is_refused_before_deploy(runner, processes):
    """A task no lane holds could never be routed: `check` says so instead of a case failing at start."""
    path = processes / ENTRUSTMENT
    text = re.sub(r"<bpmn:laneSet.*?</bpmn:laneSet>", "", path.read_text(encoding="utf-8"), flags=re.S)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["check", str(path)])
    assert result.exit_code != 0
    assert "“落实常规关爱帮扶”不在任何泳道中" in result.output


# The same decision-table checks as the designer's DMN editor (tests/test_designer_tables.py).
@pytest.mark.parametrize("filename, old, new, where, message", [
    ("psych_risk_level.dmn", "<text>symptom_severity</text>", "<text>symptom_level</text>",
     "[input_symptom_severity]", "未知变量：symptom_level"),
    ("psych_risk_level.dmn", "<text>'crisis'</text>", "<text>open('/etc/passwd').read()</text>",
     "[rule_self_harm_plan_out]", "规则输出"),
    ("psych_risk_level.dmn", "<text>'plan_or_attempt'</text>", "<text>__import__('os').system('id')</text>",
     "[rule_self_harm_plan_in_1]", "规则条件"),
    # a list cell SpiffWorkflow joins to its input without a space: `self_harm_riskin (…)`, a NameError at run time
    ("psych_risk_level.dmn", "<text>'plan_or_attempt'</text>", "<text>in ('plan_or_attempt', 'attempt')</text>",
     "[rule_self_harm_plan_in_1]", "决策表“心理风险等级判定”第 1 条规则的“自伤自杀风险”一格"),
    ("psych_referral.bpmn", "<spiffworkflow:calledDecisionId>psych_risk_level</spiffworkflow:calledDecisionId>",
     "<spiffworkflow:calledDecisionId>psych_risk_grade</spiffworkflow:calledDecisionId>", "psych_referral.bpmn [",
     "调用的决策表 psych_risk_grade 不存在"),
])
def test_check_and_deploy_run_the_designers_decision_table_checks(runner, processes, api, filename, old, new, where,
                                                                  message):
    edit(processes, re.escape(old), new, filename)
    checked = runner.invoke(args=["check", str(processes)])
    assert checked.exit_code != 0 and "未通过校验" in checked.output
    line = next((ln for ln in checked.output.splitlines() if message in ln), None)
    assert line is not None and line.startswith("错误 ") and where in line, checked.output
    before = [p["version"] for p in api("village.430104001001").get("/processes").get_json()]
    deployed = runner.invoke(args=["deploy", str(processes)])
    assert deployed.exit_code != 0 and message in deployed.output and "未部署" in deployed.output
    assert [p["version"] for p in api("village.430104001001").get("/processes").get_json()] == before
