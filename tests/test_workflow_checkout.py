"""The workflows a process keeps between the steps of a case (webapp/engine/checkout.py): a step
takes the one its case's last committed step left instead of deserializing, but never one the
database no longer holds (another node wrote the case), and a step that fails leaves nothing
of itself behind for the next one."""
import json
import threading

import pytest
from SpiffWorkflow.exceptions import WorkflowException
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tests.conftest import START_DATA, Api, demo_app_on_postgres
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, VILLAGE, capacity_assessment, start_entrustment_case
from webapp import create_app
from webapp.engine import Engine
from webapp.engine.checkout import WorkflowCache
from webapp.models import Case, HumanTask
from webapp.services import audit, routing

TOWNSHIP, CIVIL_AFFAIRS = "township.430104001000", "civil_affairs.430104000000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                 "income": "低保", "living_conditions": "祖孙同住"}
OTHER_NODE_INVESTIGATION = {**INVESTIGATION, "guardian_name": "李桂兰"}


def open_task(app, case_id: int, name: str) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                    HumanTask.state == "open")).one()


def stored(app, case_id: int) -> dict:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return json.loads(s.get(Case, case_id).workflow_json)


def stored_text(app, case_id: int) -> str:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.get(Case, case_id).workflow_json


def completed_data(app, case_id: int, name: str) -> list[dict]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return list(s.scalars(select(HumanTask.data).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                           HumanTask.state == "completed")))


def complete(api, username: str, task_id: int, data: dict):
    return api(username).post(f"/tasks/{task_id}/complete", {"data": data})


@pytest.fixture
def case_id(api):
    return start_entrustment_case(api, START_DATA)["id"]


def test_a_step_takes_the_workflow_its_case_last_committed_instead_of_reading_it_back(app, api, case_id, monkeypatch):
    engine = app.extensions["tonghu.engine"]
    loads = []
    monkeypatch.setattr(engine, "loads", lambda *args, **kwargs: loads.append(args) or type(engine).loads(engine, *args, **kwargs))
    hits = engine.workflows.hits
    answer = complete(api, TOWNSHIP, open_task(app, case_id, "township_home_investigation"), INVESTIGATION)
    assert answer.status_code == 200, answer.get_json()
    assert engine.workflows.hits == hits + 1 and loads == []  # the start's committed workflow, not the row's JSON
    assert [t["name"] for t in answer.get_json()["open_tasks"]] == ["assess_capacity"]
    # What it saved is what a fresh read of the row gives: the next step runs on it as well.
    answer = complete(api, CIVIL_AFFAIRS, open_task(app, case_id, "assess_capacity"),
                      capacity_assessment("insufficient", "不足"))
    assert answer.status_code == 200, answer.get_json()
    assert engine.workflows.hits == hits + 2 and loads == []


def moved_on_elsewhere(app, other) -> None:
    """Two server processes on one database: `app` keeps the case's workflow after the first
    step; `other` completes the next step; `app`'s next step must start from the row."""
    here = app.extensions["tonghu.engine"]
    api = lambda username: Api(app.test_client(), username)  # noqa: E731
    case_id = start_entrustment_case(api, START_DATA)["id"]
    assert complete(api, TOWNSHIP, open_task(app, case_id, "township_home_investigation"),
                    INVESTIGATION).status_code == 200
    assert here.workflows.take(case_id, stored_text(app, case_id)) is not None  # kept, as it stood then …
    assert complete(api, CIVIL_AFFAIRS, open_task(app, case_id, "assess_capacity"),  # … and taken: keep it again
                    capacity_assessment("insufficient", "不足")).status_code == 200
    answer = Api(other.test_client(), VILLAGE).post(
        f"/tasks/{open_task(app, case_id, 'record_guardian_consent')}/complete",
        {"data": {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}})
    assert answer.status_code == 200, answer.get_json()
    misses = here.workflows.misses
    # The step the other node opened is done here: on the kept (stale) workflow it would not exist.
    answer = complete(api, CIVIL_AFFAIRS, open_task(app, case_id, "choose_institution"), CHOOSE_WELFARE)
    assert answer.status_code == 200, answer.get_json()
    assert here.workflows.misses == misses + 1
    body = answer.get_json()
    assert [h["name"] for h in body["history"]] == ["township_home_investigation", "assess_capacity",
                                                     "record_guardian_consent", "choose_institution"]
    assert [t["name"] for t in body["open_tasks"]] == ["draft_agreement"]
    consent = completed_data(app, case_id, "record_guardian_consent")
    assert len(consent) == 1 and consent[0]["guardian_consents"] is True


def test_a_case_another_node_has_moved_on_is_read_from_the_database(app, clock):
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test-secret",
                        "CLOCK": clock})
    try:
        moved_on_elsewhere(app, other)
    finally:
        other.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_on_postgresql_too_a_case_another_node_has_moved_on_is_read_from_the_database(postgres_url):
    """PostgreSQL is where several nodes run: the check is against the row the step locks (FOR UPDATE)."""
    with demo_app_on_postgres(postgres_url) as app:
        other = create_app({"TESTING": True, "DATABASE_URL": postgres_url, "SECRET_KEY": "pg-secret",
                            "CLOCK": app.extensions["tonghu.engine"].clock})
        try:
            moved_on_elsewhere(app, other)
        finally:
            other.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def unroutable(*_args, **_kwargs):
    raise routing.Unroutable("测试：无承办单位")


def lost_race(*_args, **_kwargs):
    raise StaleDataError("测试：另一写入者")


_real_steps = Engine._steps


def design_fault(engine, workflow):
    """The engine's real steps run (the task is done in memory), then the design fails."""
    _real_steps(engine, workflow)
    raise WorkflowException("测试：网关条件出错")


@pytest.mark.parametrize("target, fault, status, said", [
    (Engine, ("_steps", design_fault), 422, "请联系流程设计人员"),  # a design error inside the run
    (routing, ("route", unroutable), 422, "无法分派"),  # before the workflow is saved
    (audit, ("write", lost_race), 409, "刚被他人更新"),  # after it was saved, before the commit
], ids=["design error", "unroutable", "lost race"])
def test_a_step_that_fails_after_the_engine_ran_leaves_nothing_behind(app, api, case_id, target, fault, status, said,
                                                                       monkeypatch):
    """The engine has completed the task in memory when the step fails: the retry must run on
    the stored workflow, not on the half-done one."""
    engine = app.extensions["tonghu.engine"]
    task_id = open_task(app, case_id, "township_home_investigation")
    before = stored(app, case_id)
    with monkeypatch.context() as patch:
        patch.setattr(target, *fault)
        refused = complete(api, TOWNSHIP, task_id, OTHER_NODE_INVESTIGATION)
    assert refused.status_code == status and said in refused.get_json()["error"]
    assert len(engine.workflows) == 0  # taken out for the step, not put back
    assert stored(app, case_id) == before and completed_data(app, case_id, "township_home_investigation") == []
    answer = complete(api, TOWNSHIP, task_id, INVESTIGATION)  # the retry: the task is still waiting
    assert answer.status_code == 200, answer.get_json()
    assert completed_data(app, case_id, "township_home_investigation") == [INVESTIGATION]
    assert len(engine.workflows) == 1


def test_a_refused_form_keeps_nothing(app, api, case_id):
    engine = app.extensions["tonghu.engine"]
    task_id = open_task(app, case_id, "township_home_investigation")
    refused = complete(api, TOWNSHIP, task_id, {**INVESTIGATION, "guardian_relation": "不存在的关系"})
    assert refused.status_code == 422 and "guardian_relation" in refused.get_json()["errors"]
    answer = complete(api, TOWNSHIP, task_id, INVESTIGATION)
    assert answer.status_code == 200, answer.get_json()
    assert [t["name"] for t in answer.get_json()["open_tasks"]] == ["assess_capacity"]
    assert engine.workflows.hits >= 1


def test_only_a_committed_save_is_kept(app, case_id):
    """Staged by the save, kept by the commit: a rollback, a savepoint released inside a
    transaction that then rolls back, or a session closed without committing keep nothing."""
    from webapp.services.cases import checkout
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    engine.workflows.clear()
    for end in ("rollback", "nested then rollback", "close"):
        with make() as s:
            case = s.scalars(select(Case).where(Case.id == case_id)).one()
            if end == "nested then rollback":
                with s.begin_nested():
                    checkout.stage(s, engine, case, case.workflow_json, object())
                s.rollback()
            else:
                checkout.stage(s, engine, case, case.workflow_json, object())
                if end == "rollback":
                    s.rollback()
        assert len(engine.workflows) == 0, end
    with make() as s:
        case = s.scalars(select(Case).where(Case.id == case_id)).one()
        kept = object()
        checkout.stage(s, engine, case, case.workflow_json, kept)
        s.commit()
        assert engine.workflows.take(case.id, s.get(Case, case.id).workflow_json) is kept


def test_the_cache_hands_a_workflow_to_one_taker_and_stays_bounded():
    cache = WorkflowCache(size=3)
    cache.put(1, "json-1", "workflow-1")
    assert cache.take(1, "other json") is None  # stale: and gone
    assert cache.take(1, "json-1") is None
    cache.put(1, "json-1", "workflow-1")
    taken = []
    barrier = threading.Barrier(8)

    def take():
        barrier.wait()
        taken.append(cache.take(1, "json-1"))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken, key=str) == [None] * 7 + ["workflow-1"]
    for case in range(10):
        cache.put(case, f"json-{case}", case)
    assert len(cache) == 3 and cache.take(9, "json-9") == 9 and cache.take(0, "json-0") is None
