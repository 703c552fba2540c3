"""The same core flows on PostgreSQL, the database of real deployments.

A throwaway cluster is started in a temporary folder (initdb + pg_ctl, as the `postgres`
system user when run as root) and dropped afterwards.
"""
import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp import create_app
from webapp.engine import Clock
from webapp.models import HumanTask, User
from webapp.services import cases
from webapp.services.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.fail("PostgreSQL server binaries not found: `make install` installs Debian's postgresql")
    data = tmp_path_factory.mktemp("pg") / "data"
    data.mkdir()
    as_user = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(data.parent, "postgres", "postgres")
        os.chmod(data.parent, 0o755)
        for parent in list(data.parents)[1:]:
            if parent == Path("/"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o005)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(as_user + [initdb, "-D", str(data), "-U", "tonghu", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                   check=True, capture_output=True)
    subprocess.run(as_user + [pg_ctl, "-D", str(data), "-w", "-l", str(data / "server.log"), "-o",
                              f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://tonghu@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)


@pytest.fixture
def pg_app(postgres_url):
    from sqlalchemy import create_engine, text
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": postgres_url, "SECRET_KEY": "pg-secret", "CLOCK": Clock()})
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    yield app
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


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
