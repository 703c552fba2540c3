"""One transaction per change: concurrent completions, failing handlers, nothing half-written."""
import pytest
from sqlalchemy import select

import handlers
from handlers.registry import HandlerError, Operator
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, agreement_draft, capacity_assessment
from webapp.models import Case, CaseFileEntry, HumanTask, User
from webapp.services import cases
from webapp.services.errors import Conflict

INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                 "income": "低保", "living_conditions": "祖孙同住"}


def start(app, start_data):
    make = app.extensions["tonghu.sessionmaker"]
    engine = app.extensions["tonghu.engine"]
    with make() as s:
        village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
        case = cases.start_case(s, engine, "entrustment_care", "430104001001", start_data, village, engine.clock.now())
        s.commit()
        return case.id


def test_two_officials_completing_one_task_one_wins(app, start_data):
    case_id = start(app, start_data)
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    first, second = make(), make()
    task_id = first.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one().id
    user_first = first.scalars(select(User).where(User.username == "township.430104001000")).one()
    user_second = second.scalars(select(User).where(User.username == "supervisor.township.430104001000")).one()
    version_before = second.get(HumanTask, task_id).case.row_version  # both hold the case as it was
    cases.complete_task(first, engine, task_id, INVESTIGATION, user_first, engine.clock.now())
    first.commit()
    with pytest.raises(Conflict):
        cases.complete_task(second, engine, task_id, INVESTIGATION, user_second, engine.clock.now())
    second.rollback()
    with make() as check:
        rows = check.scalars(select(HumanTask).where(HumanTask.case_id == case_id).order_by(HumanTask.id)).all()
        assert [(t.name, t.state) for t in rows] == [("township_home_investigation", "completed"), ("assess_capacity", "open")]
        assert rows[0].completed_by.username == "township.430104001000"
        assert check.get(Case, case_id).row_version == version_before + 1
    first.close()
    second.close()


def walk_to_last_signature(api, start_data):
    from tests.steps.entrustment_steps import SIGNERS
    village = api("village.430104001001")
    case = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data}).get_json()
    steps = [
        ("township.430104001000", "township_home_investigation", INVESTIGATION),
        ("civil_affairs.430104000000", "assess_capacity", capacity_assessment("insufficient", "不足")),
        ("village.430104001001", "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}),
        ("civil_affairs.430104000000", "choose_institution", CHOOSE_WELFARE),
        ("civil_affairs.430104000000", "draft_agreement", agreement_draft()),
    ] + [(user, name, {"signed": True, "signatory": who, "signed_on": "2026-11-20"}) for name, (user, who) in SIGNERS.items()]
    for username, name, data in steps[:-1]:
        client = api(username)
        task = next(t for t in client.get("/tasks").get_json() if t["name"] == name and t["instance_id"] == case["id"])
        assert client.post(f"/tasks/{task['id']}/complete", {"data": data}).status_code == 200
    username, name, data = steps[-1]
    client = api(username)
    task = next(t for t in client.get("/tasks").get_json() if t["name"] == name and t["instance_id"] == case["id"])
    return case, client, task, data


def test_failing_handler_leaves_the_task_open_and_nothing_written(api, start_data, db_session, monkeypatch):
    case, client, task, data = walk_to_last_signature(api, start_data)
    before = db_session.get(Case, case["id"]).workflow_json

    def broken(ctx):
        raise HandlerError("printer_on_fire", "文书服务暂不可用")
    monkeypatch.setitem(handlers.OPERATORS, "generate_agreement_document", Operator("generate_agreement_document", "x", broken))
    response = client.post(f"/tasks/{task['id']}/complete", {"data": data})
    assert response.status_code == 500
    assert "文书服务暂不可用" in response.get_json()["error"]
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).workflow_json == before
    assert db_session.get(HumanTask, task["id"]).state == "open"
    # the capacity assessment's record was filed earlier; the agreement must not be
    documents = select(CaseFileEntry).where(CaseFileEntry.case_id == case["id"], CaseFileEntry.kind == "document")
    assert [d.title for d in db_session.scalars(documents)] == ["家庭监护能力评估记录"]

    monkeypatch.undo()
    response = client.post(f"/tasks/{task['id']}/complete", {"data": data})
    assert response.status_code == 200, response.get_json()
    assert [t["name"] for t in response.get_json()["open_tasks"]] == ["admit_child"]
    document = db_session.scalars(documents.where(CaseFileEntry.title == "五方委托照护协议")).one()
    assert [d.title for d in db_session.scalars(documents)] == ["家庭监护能力评估记录", "五方委托照护协议"]
    assert "五方委托照护协议" in document.body and "长沙市儿童福利院 赵院长" in document.body


def test_a_crashing_handler_reports_its_real_cause(api, start_data, monkeypatch):
    case, client, task, data = walk_to_last_signature(api, start_data)

    def buggy(ctx):
        return {}["missing"]
    monkeypatch.setitem(handlers.OPERATORS, "generate_agreement_document", Operator("generate_agreement_document", "x", buggy))
    response = client.post(f"/tasks/{task['id']}/complete", {"data": data})
    assert response.status_code == 500 and "KeyError" in response.get_json()["error"]
