"""Attacker's probe (session 5): a designer's diagram that loops forever. `tonghu check` and the
designer accept a loop of script tasks and gateways that never waits for a person; run, SpiffWorkflow
went round about 500 times until its task tree grew too deep, then silently called the case
*finished* (its end never reached), or, with a script near the sandbox's one second per turn, held a
server thread and the case's lock for minutes. The engine now bounds one burst of automatic steps
(count and time): the start is refused as a design error naming the element, nothing saved."""
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.engine import Engine
from webapp.models import AuditEntry, Case, User
from webapp.services import definitions
from webapp.services.designs import template

VILLAGE = "village.430104001001"
FORMS = Path(__file__).resolve().parents[2] / "forms"
SPIN = ('<bpmn:scriptTask id="spin" name="反复核算"><bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming>'
        '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>SCRIPT</bpmn:script></bpmn:scriptTask>'
        '<bpmn:exclusiveGateway id="again" name="再算一次" default="f3"><bpmn:incoming>f2</bpmn:incoming>'
        '<bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>flow_opened_closed</bpmn:outgoing></bpmn:exclusiveGateway>'
        '<bpmn:sequenceFlow id="f1" sourceRef="case_opened" targetRef="spin"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="spin" targetRef="again"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="again" targetRef="spin"/>')


def looping_diagram(script: str) -> str:
    """The blank template with a loop between 立案 and 办结 whose way out (`n == 2`) never opens."""
    xml = template.blank_bpmn("loop_probe", "循环核算", "village", "village", "psych_referral_start.json")
    xml = xml.replace("<bpmn:outgoing>flow_opened_closed</bpmn:outgoing>\n    </bpmn:startEvent>",
                      "<bpmn:outgoing>f1</bpmn:outgoing>\n    </bpmn:startEvent>" + SPIN.replace("SCRIPT", script))
    xml = xml.replace('sourceRef="case_opened" targetRef="case_closed"/>',
                      'sourceRef="again" targetRef="case_closed"><bpmn:conditionExpression>n == 2'
                      '</bpmn:conditionExpression></bpmn:sequenceFlow>')
    return xml.replace("<bpmn:flowNodeRef>case_closed</bpmn:flowNodeRef>", "<bpmn:flowNodeRef>case_closed"
                       "</bpmn:flowNodeRef><bpmn:flowNodeRef>spin</bpmn:flowNodeRef><bpmn:flowNodeRef>again"
                       "</bpmn:flowNodeRef>")


def deploy(app, script: str) -> None:
    """Deployed as the designer's deploy does it (`definitions.deploy` checks the files first)."""
    forms = {"psych_referral_start.json": json.loads((FORMS / "psych_referral_start.json").read_text("utf-8"))}
    with app.extensions["tonghu.sessionmaker"]() as s:
        designer = s.scalars(select(User).where(User.username == "designer")).one()
        engine = app.extensions["tonghu.engine"]
        assert definitions.deploy(s, {"loop_probe.bpmn": looping_diagram(script)}, forms, engine.clock.now(), designer)
        s.commit()


def start(api, child):
    return api(VILLAGE).post("/processes/loop_probe/instances", {"region": "430104001001", "data": {
        "child": child, "monitoring_source": "monthly_contact", "reason": "核算"}})


@pytest.mark.parametrize("script", ["n = 1", "m = 0\nfor i in range(40000):\n    m = m + i\nn = 1"],
                         ids=["tight_loop", "slow_turns"])
def test_a_loop_that_never_waits_is_refused_as_a_design_error(app, api, db_session, start_data, script, monkeypatch):
    monkeypatch.setattr(Engine, "MAX_AUTOMATIC_SECONDS", 3.0, raising=False)  # the bound, small enough for a test
    deploy(app, script)
    cases_before = db_session.scalar(select(func.count()).select_from(Case))
    began = time.monotonic()
    response = start(api, start_data["child"])
    assert time.monotonic() - began < 30
    assert response.status_code == 422 and response.is_json, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["code"] == "engine_error" and body["element"] == "spin", body
    assert "反复核算" in body["error"] and "流程设计有误" in body["error"], body
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(Case)) == cases_before  # never "finished"
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error")).one()
