"""Traceability: every user task of every procedure names its clause, and a scenario exercises it."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from webapp.cli import main
from webapp.services import trace

ROOT = Path(__file__).resolve().parent.parent
PROCESSES, FEATURES, STEPS = ROOT / "processes", ROOT / "features", ROOT / "webapp" / "services" / "scenarios" / "steps"


def test_every_user_task_of_every_procedure_has_a_clause_and_a_scenario():
    """Covers all processes/*.bpmn, also the ones added later (basic living support, left-behind entrustment…)."""
    elements = trace.trace(PROCESSES, FEATURES, STEPS)
    assert {e.file for e in elements} == {p.name for p in PROCESSES.glob("*.bpmn")}
    assert trace.problems(elements) == []


def test_the_corrected_clauses_are_traced_to_their_steps_and_scenarios():
    rows = {clause: (encoded, scenarios) for clause, encoded, scenarios in trace.table(trace.trace(PROCESSES, FEATURES, STEPS))}
    encoded, scenarios = rows["hunan §六.4"]
    assert "entrustment_care.danger_gateway（儿童处于危困状态？）" in encoded
    assert any("拒绝委托" in s for s in scenarios)
    encoded, _ = rows["未成年人保护法 第九十二条"]
    assert "guardianship_revocation.decide_temporary_guardianship（决定临时监护及保护措施）" in encoded
    assert "法发〔2014〕24号 第三十八条" in rows
    assert not any(clause.startswith("湖林") for clause in rows)


BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="demo" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="visit" name="入户走访">{visit_doc}</bpmn:userTask>
    <bpmn:userTask id="decide" name="作出决定">{decide_doc}</bpmn:userTask>
    <bpmn:exclusiveGateway id="gw" name="需要？"/>
  </bpmn:process>
</bpmn:definitions>
"""

FEATURE = """# language: zh-CN
功能: 示例
  背景:
    假如 童护已部署全部流程并载入演示组织

  场景: 走访
    当 "village.430104001001" 办理任务"入户走访"：
      | 字段 | 值 |
      | note | 好 |
{extra}
"""


def _write(tmp_path, visit_doc="<bpmn:documentation>依据：hunan §六.1；未成年人保护法 第九十二条\n走访</bpmn:documentation>",
           decide_doc="<bpmn:documentation>依据：chongqing （十七）</bpmn:documentation>", extra="", steps=""):
    (tmp_path / "processes").mkdir()
    (tmp_path / "features").mkdir()
    (tmp_path / "steps").mkdir()
    (tmp_path / "processes" / "demo.bpmn").write_text(BPMN.format(visit_doc=visit_doc, decide_doc=decide_doc), encoding="utf-8")
    (tmp_path / "features" / "demo.feature").write_text(FEATURE.format(extra=extra), encoding="utf-8")
    (tmp_path / "steps" / "demo_steps.py").write_text(steps, encoding="utf-8")
    return tmp_path / "processes", tmp_path / "features", tmp_path / "steps"


def test_a_user_task_no_scenario_reaches_is_a_problem_until_one_names_it(tmp_path):
    elements = trace.trace(*_write(tmp_path))
    assert trace.problems(elements) == ["demo.bpmn：用户任务 demo.decide（作出决定） 没有任何场景办理或检查它"]
    visit = next(e for e in elements if e.id == "visit")
    assert visit.clauses == ["hunan §六.1", "未成年人保护法 第九十二条"] and visit.scenarios == ["demo.feature: 走访"]


def test_a_list_of_open_tasks_names_each_of_them(tmp_path):
    elements = trace.trace(*_write(tmp_path, extra='    那么 案件待办任务为"decide、visit"'))
    assert trace.problems(elements) == []


def test_a_step_shortcut_counts_for_the_tasks_its_definition_completes(tmp_path):
    steps = '''
from pytest_bdd import parsers, when
NAMES = {"甲": "decide"}

def _do(story, name):
    pass

@when(parsers.parse("民政局作出{who}决定"))
def decided(story, who):
    _do(story, NAMES[who])
'''
    paths = _write(tmp_path, extra="    当 民政局作出甲决定", steps=steps)
    assert trace.problems(trace.trace(*paths)) == []
    # without the step library the shortcut hides the task
    assert len(trace.problems(trace.trace(paths[0], paths[1], None))) == 1


def test_a_name_inside_a_longer_quoted_text_does_not_count(tmp_path):
    elements = trace.trace(*_write(tmp_path, extra='    那么 儿童档案中有"作出决定书"'))
    assert [p for p in trace.problems(elements) if "decide" in p]


def test_a_user_task_without_a_clause_is_a_problem(tmp_path):
    elements = trace.trace(*_write(tmp_path, decide_doc="<bpmn:documentation>民政部门作出决定</bpmn:documentation>",
                                   extra='    那么 案件待办任务为"decide"'))
    assert trace.problems(elements) == [
        "demo.bpmn：用户任务 demo.decide（作出决定） 没有注明依据条款（documentation 首行“依据：…”）"]


@pytest.mark.parametrize("line, message", [
    ("依据：", "后没有条款"),
    ("依据：hunan", "须注明条款"),
    ("依据：policy §1.2", "来源须为"),
])
def test_a_malformed_basis_is_reported_with_its_reason(tmp_path, line, message):
    elements = trace.trace(*_write(tmp_path, visit_doc=f"<bpmn:documentation>{line}</bpmn:documentation>"))
    problem = next(p for p in trace.problems(elements) if "visit" in p)
    assert "依据无法识别" in problem and message in problem


def test_national_texts_need_no_clause_and_seeds_are_case_insensitive():
    assert trace.parse_basis("依据：民发〔2019〕62号；Hunan  §六.3 ; 民法典 第三十六条") == [
        "民发〔2019〕62号", "hunan §六.3", "民法典 第三十六条"]


def test_tonghu_trace_prints_clause_element_scenario_and_strict_fails_on_gaps(tmp_path):
    processes, features, steps = _write(tmp_path)
    args = ["trace", "--processes", str(processes), "--features", str(features), "--steps", str(steps)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "hunan §六.1\n  元素  demo.visit（入户走访）\n  场景  demo.feature: 走访\n" in result.output
    assert "chongqing （十七）\n  元素  demo.decide（作出决定）\n  场景  （无场景）\n" in result.output
    strict = CliRunner().invoke(main, args + ["--strict"])
    assert strict.exit_code != 0 and "demo.decide（作出决定） 没有任何场景" in strict.output
    tsv = CliRunner().invoke(main, args + ["--format", "tsv"])
    assert "未成年人保护法 第九十二条\tdemo.visit（入户走访）\tdemo.feature: 走访" in tsv.output


def test_tonghu_trace_on_the_shipped_procedures_is_complete():
    result = CliRunner().invoke(main, ["trace", "--strict"])
    assert result.exit_code == 0, result.output
    assert "guardianship_assessment.assess_capacity（家庭监护能力评估）" in result.output


def test_tonghu_trace_lists_the_decision_tables_and_each_regional_variants_own(tmp_path):
    """The shipped variants (Shanghai's past-18 table, Chongqing's medical aid) under their clause,
    each marked with its place; a rule's prose after the clause stays out of the clause."""
    tsv = CliRunner().invoke(main, ["trace", "--format", "tsv"])
    assert tsv.exit_code == 0, tsv.output
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in tsv.output.splitlines()[1:] if "\t" in line}
    assert "medical_aid.rule_low_income〔地区版本 50〕" in rows["chongqing （五）"].split("；")
    assert "continues_past_18.rule_university〔地区版本 31〕" in rows["shanghai （一）"].split("；")
    assert "continues_past_18.rule_compulsory" in rows["民发〔2019〕62号"].split("；")  # the national table
    assert not any("仍在义务教育阶段就读" in clause for clause in rows)
    # a variant's table in another folder: read from there, a broken 依据 line named with its file
    processes, features, steps = _write(tmp_path)
    (processes / "variants" / "42").mkdir(parents=True)
    (processes / "variants" / "42" / "t.dmn").write_text(
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="t">'
        '<decision id="t" name="表"><description>依据：hubei 二.8 湖北的规则</description><decisionTable id="x">'
        '<rule id="r1"><description>依据：nowhere 1</description></rule></decisionTable></decision></definitions>',
        encoding="utf-8")
    args = ["trace", "--processes", str(processes), "--features", str(features), "--steps", str(steps)]
    result = CliRunner().invoke(main, args)
    assert "hubei 二.8\n  元素  t（表）〔地区版本 42〕\n" in result.output
    assert "问题 variants/42/t.dmn：t.r1〔地区版本 42〕 的依据无法识别" in result.output
