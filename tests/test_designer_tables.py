"""Decision tables edited in the designer: the tables a procedure calls, drafts, the checks (parses,
decision ids kept, input expressions read known variables, the sandbox on every cell), deploy as a
new version of the procedures calling the table only, and the rules in the version diff."""
import json

import pytest
from sqlalchemy import select

from webapp.models import Draft, ProcessDefinition
from webapp.services import designs

TABLE = "psych_risk_level.dmn"
URL = "/designer/procedures/psych_referral"
CRISIS_TO_HIGH = ("<outputEntry id=\"rule_harm_to_others_out\"><text>'crisis'</text></outputEntry>",
                  "<outputEntry id=\"rule_harm_to_others_out\"><text>'high'</text></outputEntry>")


class Designer:
    def __init__(self, browser):
        self.browser = browser
        browser.sign_in("designer")
        browser.get("/designer/")

    def get(self, path):
        return self.browser.client.get(path, headers={"Accept": "application/json"})

    def post(self, path, body):
        return self.browser.client.post(path, json=body, headers={"Accept": "application/json",
                                                                  "X-CSRFToken": self.browser.csrf_token})

    def table(self):
        answer = self.get(f"{URL}/tables.json")
        assert answer.status_code == 200
        return {f["filename"]: f for f in answer.get_json()["files"]}


@pytest.fixture
def designer(browser):
    return Designer(browser)


def versions(app) -> dict[str, int]:
    with app.app_context():
        from webapp.db import session
        found = {}
        for d in session().scalars(select(ProcessDefinition)):
            found[d.process_id] = max(found.get(d.process_id, 0), d.version)
        return found


def test_a_procedure_opens_only_the_tables_it_calls(designer):
    assert list(designer.table()) == [TABLE]
    assert designer.table()[TABLE]["decisions"] == ["psych_risk_level"]
    living = designer.get("/designer/procedures/basic_living_support/tables.json").get_json()["files"]
    assert sorted(f["filename"] for f in living) == ["continues_past_18.dmn", "medical_aid.dmn", "support_category.dmn"]
    assert designer.get("/designer/procedures/entrustment_care/tables.json").get_json()["files"] == []
    page = designer.browser.get(f"{URL}/tables").get_data(as_text=True)
    assert "决策表" in page and "vendor/designer/tables.js" in page
    config = json.loads(page.split('id="tables-config">', 1)[1].split("</script>", 1)[0])
    assert config["dmnMessages"]["Hit policy"] == "命中策略" and config["dmnMessages"]["Add rule"] == "添加规则"


def test_an_edited_rule_is_saved_checked_deployed_for_its_procedure_only_and_listed_in_the_diff(designer, app):
    xml = designer.table()[TABLE]["xml"].replace(*CRISIS_TO_HIGH)
    saved = designer.post(f"{URL}/drafts", {"file": TABLE, "xml": xml})
    assert saved.status_code == 200, saved.get_json()
    assert designer.table()[TABLE]["draft"]["revision"] == 1 and "'high'" in designer.table()[TABLE]["xml"]
    assert designer.post(f"{URL}/check", {"files": {TABLE: xml}}).get_json() == {"problems": [], "warnings": []}
    before = versions(app)
    deployed = designer.post(f"{URL}/deploy", {"files": {TABLE: xml}, "note": "伤人危险改为高风险"})
    assert deployed.status_code == 200, deployed.get_json()
    assert [(d["process_id"], d["version"]) for d in deployed.get_json()["deployed"]] == [("psych_referral", before["psych_referral"] + 1)]
    assert versions(app) == {**before, "psych_referral": before["psych_referral"] + 1}  # no other procedure moved
    with app.app_context():
        from webapp.db import session
        assert session().scalars(select(Draft).where(Draft.kind == "dmn")).all() == []
    page = designer.browser.get(f"{URL}/diff").get_data(as_text=True)
    assert 'data-element="rule_harm_to_others"' in page
    row = page[page.index('data-element="rule_harm_to_others"'):]
    row = row[:row.index("</tr>")]
    assert "有伤害他人的现实危险" in row and "<del>心理风险等级 = &#39;crisis&#39;</del>" in row
    assert "<ins>心理风险等级 = &#39;high&#39;</ins>" in row
    assert page.count('data-kind="changed"') == 1


def test_a_moved_rule_is_listed_with_its_new_place(app):
    with app.app_context():
        from webapp.db import session
        old = designs.version(session(), "psych_referral", 1)
        xml = old.files[TABLE]
        start = xml.index('<rule id="rule_otherwise_low">')
        end = xml.index("</rule>", start) + len("</rule>")
        last = xml[start:end]
        moved = xml[:start] + xml[end:]
        first = moved.index('<rule id="rule_self_harm_plan">')
        moved = moved[:first] + last + moved[first:]
        new = ProcessDefinition(process_id="psych_referral", version=2, name=old.name, files={**old.files, TABLE: moved},
                                forms=old.forms, checksum="x")
        changes = {c.element: c for c in designs.diff(old, new)}
    assert changes["rule_otherwise_low"].details == [("order", "第 8 条", "第 1 条")]
    assert changes["rule_otherwise_low"].element_type == "rule" and changes["rule_otherwise_low"].name.startswith("其余情形")
    assert all(c.details[0][0] == "order" for c in changes.values())


@pytest.mark.parametrize("edit, where, message", [
    (("<text>symptom_severity</text>", "<text>symptom_level</text>"), "input_symptom_severity", "未知变量：symptom_level"),
    (("<text>'plan_or_attempt'</text>", "<text>__import__('os').system('id')</text>"), "rule_self_harm_plan_in_1", "规则条件"),
    (("<text>'crisis'</text>", "<text>open('/etc/passwd').read()</text>"), "rule_self_harm_plan_out", "规则输出"),
    (("<text>harm_to_others</text>", "<text>harm_to_others.__class__</text>"), "input_expression_harm_to_others", "输入表达式"),
    (("<text>'severe'</text>", "<text>'severe' and (</text>"), "rule_severe_symptoms_in_3", "不是有效的 Python"),
    # SpiffWorkflow joins input and cell with no space: `self_harmin (...)`, a NameError at run time
    (("<text>'plan_or_attempt'</text>", "<text>in ('plan_or_attempt', 'attempt')</text>"), "rule_self_harm_plan_in_1",
     "第 1 条规则的“自伤自杀风险”一格“in ('plan_or_attempt', 'attempt')”运行时无法求值"),
])
def test_bad_cells_and_unknown_variables_are_problems_at_their_cell_and_block_deploy(designer, app, edit, where, message):
    xml = designer.table()[TABLE]["xml"].replace(*edit, 1)
    problems = designer.post(f"{URL}/check", {"files": {TABLE: xml}}).get_json()["problems"]
    assert any(p["element"] == where and message in p["message"] and p["file"] == TABLE for p in problems), problems
    before = versions(app)
    refused = designer.post(f"{URL}/deploy", {"files": {TABLE: xml}})
    assert refused.status_code == 422 and refused.get_json()["problems"]
    assert versions(app) == before


@pytest.mark.parametrize("xml, message", [
    ("<definitions", "不是有效的 DMN"),
    ('<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "不是有效的 DMN"),
    (None, "缺少决策 psych_risk_level"),
])
def test_a_table_that_does_not_parse_or_drops_its_decision_is_not_saved(designer, app, xml, message):
    if xml is None:
        xml = designer.table()[TABLE]["xml"].replace('decision id="psych_risk_level"', 'decision id="risk_table"')
    answer = designer.post(f"{URL}/drafts", {"file": TABLE, "xml": xml})
    assert answer.status_code == 422 and message in answer.get_json()["error"]
    assert designer.table()[TABLE]["draft"] is None
    assert message in designer.post(f"{URL}/check", {"files": {TABLE: xml}}).get_json()["problems"][0]["message"]


def test_a_table_the_procedure_does_not_carry_is_refused(designer):
    answer = designer.post("/designer/procedures/psych_referral/drafts", {"file": "other.dmn", "xml": "<x/>"})
    assert answer.status_code == 422 and "不是流程 psych_referral 的图文件或决策表" in answer.get_json()["error"]
