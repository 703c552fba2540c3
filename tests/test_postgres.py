"""The same core flows on PostgreSQL, the database of real deployments.

A throwaway cluster is started in a temporary folder (the `postgres_url` fixture of
conftest.py, tests/pg_cluster.py) and dropped afterwards.
"""

import pytest
from sqlalchemy import select

from tests.conftest import demo_app_on_postgres
from webapp.models import HumanTask, User
from webapp.services import cases
from webapp.services.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def pg_app(postgres_url):
    with demo_app_on_postgres(postgres_url) as app:
        yield app


def test_a_case_runs_on_postgresql(pg_app, start_data):
    from tests.conftest import Api
    client = pg_app.test_client()
    village, township = Api(client, "village.430104001001"), Api(client, "township.430104001000")
    case = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert case.status_code == 201, case.get_json()
    task = township.get("/tasks").get_json()[0]
    done = township.post(f"/tasks/{task['id']}/complete", {"data": {
        "guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈", "income": "低保", "living_conditions": "同住"}})
    assert done.status_code == 200, done.get_json()
    assert [t["name"] for t in done.get_json()["open_tasks"]] == ["assess_capacity"]
    assert Api(client, "civil_affairs.430104000000").get("/tasks").get_json()[0]["name"] == "assess_capacity"


def test_concurrent_completion_on_postgresql_gives_one_winner(pg_app, start_data):
    make, engine = pg_app.extensions["tonghu.sessionmaker"], pg_app.extensions["tonghu.engine"]
    data = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈", "income": "低保", "living_conditions": "同住"}
    with make() as s:
        village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
        case_id = cases.start_case(s, engine, "entrustment_care", "430104001001", start_data, village, engine.clock.now()).id
        s.commit()
    first, second = make(), make()
    task_id = first.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one().id
    second.get(HumanTask, task_id).case.row_version
    second.commit()  # end the read transaction, as a web request would between page and submit
    cases.complete_task(first, engine, task_id, data, first.scalars(select(User).where(User.username == "township.430104001000")).one(), engine.clock.now())
    first.commit()
    with pytest.raises(Conflict):
        cases.complete_task(second, engine, task_id, data,
                            second.scalars(select(User).where(User.username == "supervisor.township.430104001000")).one(), engine.clock.now())
    second.rollback()
    first.close()
    second.close()


def test_the_app_s_connections_compile_no_query_plans(pg_app):
    """JIT compilation once cost a child search 60 ms for a query that ran in 2 ms (bench/roster.py):
    the app's sessions run with it off, whatever the server's default."""
    from sqlalchemy import text
    with pg_app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalar(text("SHOW jit")) == "off"
