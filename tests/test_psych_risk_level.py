"""The risk-level decision table of the psychological health referral (processes/psych_risk_level.dmn).

Each row of the table is exercised directly, the table is complete over every combination
of answers, and it is what the procedure runs: a designer changing the table changes the
grading of new cases without code.
"""
import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from webapp.engine.scripting import TonghuScriptEngine
from webapp.services import definitions
from webapp.services.checks import check_files
from webapp.services.forms import load_forms

ROOT = Path(__file__).resolve().parents[1]
DMN = ROOT / "processes" / "psych_risk_level.dmn"

SELF_HARM = ("none", "ideation", "plan_or_attempt")
SEVERITY = ("mild", "moderate", "severe")


def answers(self_harm="none", others=False, severity="mild", impaired=False) -> dict:
    return {"self_harm_risk": self_harm, "harm_to_others": others, "symptom_severity": severity,
            "functional_impairment": impaired}


# One case per row, in table order: (rule id, answers that reach it first, level it gives).
ROWS = [
    ("rule_self_harm_plan", answers("plan_or_attempt"), "crisis"),
    ("rule_harm_to_others", answers(others=True), "crisis"),
    ("rule_self_harm_ideation", answers("ideation"), "high"),
    ("rule_severe_symptoms", answers(severity="severe"), "high"),
    ("rule_moderate_impaired", answers(severity="moderate", impaired=True), "high"),
    ("rule_moderate", answers(severity="moderate"), "medium"),
    ("rule_mild_impaired", answers(impaired=True), "medium"),
    ("rule_otherwise_low", answers(), "low"),
]


def decision_engine(xml: bytes):
    """The table as SpiffWorkflow runs it (the parser validates against the DMN 1.3 schema)."""
    parser = SpiffBpmnParser()
    parser.add_dmn_xml(etree.fromstring(xml), filename=DMN.name)
    return parser.get_engine("psych_risk_level", None)


@pytest.fixture(scope="module")
def table():
    return decision_engine(DMN.read_bytes())


def evaluate(table, data: dict):
    task = SimpleNamespace(data=data, workflow=SimpleNamespace(script_engine=TonghuScriptEngine()))
    matched = table.decide(task)
    return (matched[0].id if matched else None), table.result(task).get("risk_level")


def test_the_rows_are_the_ones_tested(table):
    assert [rule.id for rule in table.decision_table.rules] == [rule_id for rule_id, _, _ in ROWS]
    assert table.decision_table.hit_policy == "FIRST"
    assert [o.name for o in table.decision_table.outputs] == ["risk_level"]


@pytest.mark.parametrize("rule_id, data, level", ROWS, ids=[r[0] for r in ROWS])
def test_each_row(table, rule_id, data, level):
    assert evaluate(table, data) == (rule_id, level)


@pytest.mark.parametrize("self_harm, others, severity, impaired",
                         list(itertools.product(SELF_HARM, (False, True), SEVERITY, (False, True))))
def test_every_combination_gets_a_level_and_danger_is_never_below_high(table, self_harm, others, severity, impaired):
    _, level = evaluate(table, answers(self_harm, others, severity, impaired))
    assert level in ("low", "medium", "high", "crisis")
    if self_harm == "plan_or_attempt" or others:
        assert level == "crisis"
    elif self_harm == "ideation" or severity == "severe":
        assert level == "high"


def test_check_accepts_the_table_with_the_diagram():
    files = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "processes").iterdir()
             if p.name in ("psych_referral.bpmn", "psych_risk_level.dmn")}
    assert check_files(files, load_forms(ROOT / "forms")) == []


def test_check_refuses_a_diagram_without_its_table():
    files = {"psych_referral.bpmn": (ROOT / "processes" / "psych_referral.bpmn").read_text(encoding="utf-8")}
    problems = [str(p) for p in check_files(files, load_forms(ROOT / "forms"))]
    assert any("psych_risk_level" in p for p in problems), problems


def test_deploy_keeps_the_table_with_the_procedure(db_session):
    definition = definitions.get_latest_or_404(db_session, "psych_referral")
    assert definition.files["psych_risk_level.dmn"] == DMN.read_text(encoding="utf-8")


def test_a_designer_changes_the_grading_without_code(app, db_session, clock):
    """Deploy the table with 'moderate' moved up to 'high': new cases are graded by it."""
    from tests.test_psych_referral import assess_new_case

    assert assess_new_case(db_session, app, answers(severity="moderate")) == ["counselling"]
    changed = DMN.read_text(encoding="utf-8").replace(
        '<outputEntry id="rule_moderate_out"><text>\'medium\'</text>', '<outputEntry id="rule_moderate_out"><text>\'high\'</text>')
    assert changed != DMN.read_text(encoding="utf-8")
    files = {"psych_referral.bpmn": (ROOT / "processes" / "psych_referral.bpmn").read_text(encoding="utf-8"),
             "psych_risk_level.dmn": changed}
    deployed = definitions.deploy(db_session, files, load_forms(ROOT / "forms"), clock.now())
    db_session.commit()
    assert [d.process_id for d in deployed] == ["psych_referral"]
    assert assess_new_case(db_session, app, answers(severity="moderate")) == ["guardian_consent"]
