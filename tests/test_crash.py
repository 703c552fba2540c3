"""Processes killed with SIGKILL at random moments leave nothing half-done and block nothing.

Twenty rounds on one SQLite database, alternating:
- a `tonghu serve` process receives the five signatures of an agreement at once and is killed
  somewhere in the middle of them;
- a `tonghu timers fire` process is killed while it holds the scheduler lease.
After each kill every attempted completion and every case is applied wholly or not at all
(task row, workflow, child's file and audit log agree), and the next scheduler run proceeds
at once (the dead holder's lease is taken over) and fires what was left, once.
"""
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from tests.helpers import api_token
from tests.steps.entrustment_steps import SIGNERS
from tests.test_concurrency import case_at_signing
from tests.test_timers import deploy_fixture, start_report
from webapp import create_app, worker
from webapp.engine import Clock
from webapp.models import AuditEntry, Case, CaseFileEntry, HumanTask, SchedulerLease

pytestmark = pytest.mark.slow

ROUNDS = 20
TONGHU = str(Path(sys.executable).with_name("tonghu"))
SECRET = "crash-secret"


@pytest.fixture
def crash_app(tmp_path, demo_database):
    path = tmp_path / "crash.sqlite"
    shutil.copyfile(demo_database, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": SECRET, "CLOCK": Clock()})
    app.config["CHILD_ENV"] = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "TONGHU_SECRET_KEY": SECRET}
    yield app
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def spawn(app, *args) -> subprocess.Popen:
    return subprocess.Popen([TONGHU, *args], env=app.config["CHILD_ENV"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything it started (gunicorn's workers die with their master)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, seconds=60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# -- what "wholly or not at all" means for a case -------------------------------------------------------
def assert_whole(app, case_id: int) -> dict[str, str]:
    """The task list, the workflow, the child's file and the audit log of the case agree; the
    state of each task by name."""
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        case = s.get(Case, case_id)
        workflow = engine.loads(case.workflow_json)
        ready = {t.guid for t in engine.ready_tasks(workflow)}
        rows = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).all()
        assert {r.task_guid for r in rows if r.state == "open"} == ready, case_id
        for row in rows:
            steps = s.scalar(select(func.count()).select_from(CaseFileEntry).where(
                CaseFileEntry.case_id == case_id, CaseFileEntry.kind == "step", CaseFileEntry.title == row.title))
            audits = s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "task.complete", AuditEntry.target == f"task:{row.id}"))
            done = row.state == "completed"
            assert (steps, audits) == ((1, 1) if done else (0, 0)), (row.name, row.state, steps, audits)
            assert done == (workflow.get_task_from_id(UUID(row.task_guid)).state == TaskState.COMPLETED), row.name
        return {r.name: r.state for r in rows}


def next_run_proceeds(app, moment=None) -> dict:
    engine = app.extensions["tonghu.engine"]
    result = worker.run_once(app.extensions["tonghu.sessionmaker"], engine, now=moment or engine.clock.now())
    assert result is not None, "the next scheduler run was refused: the dead process still holds the lease"
    assert "retry" not in result and "error" not in result, result
    return result


# -- the rounds ------------------------------------------------------------------------------------------
def serve_round(app, rng: random.Random) -> None:
    case_id = case_at_signing(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        signs = {t.name: t.id for t in s.scalars(select(HumanTask).where(HumanTask.case_id == case_id,
                                                                          HumanTask.state == "open"))}
    tokens = {u: api_token(app, u) for u, _w in SIGNERS.values()}
    port = free_port()
    server = spawn(app, "serve", "--port", str(port), "--workers", "1")
    answers: dict[str, int] = {}
    try:
        assert wait_until(lambda: listening(port)), "tonghu serve did not start"

        def sign(name, username, who):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("POST", f"/api/v1/tasks/{signs[name]}/complete",
                                   json.dumps({"data": {"signed": True, "signatory": who, "signed_on": "2026-11-20"}}),
                                   {"Authorization": f"Bearer {tokens[username]}", "Content-Type": "application/json"})
                answers[name] = connection.getresponse().status
            except OSError:
                answers[name] = 0  # the server died under us
            finally:
                connection.close()

        threads = [threading.Thread(target=sign, args=(n, u, w)) for n, (u, w) in SIGNERS.items()]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0, 0.6))
    finally:
        kill(server)
    for t in threads:
        t.join(30)
    states = assert_whole(app, case_id)
    for name, status in answers.items():
        assert status in (0, 200), (name, status)
        if status == 200:
            assert states[name] == "completed", name


def fire_round(app, rng: random.Random) -> None:
    clock = app.extensions["tonghu.engine"].clock
    started = [start_report(app) for _ in range(3)]
    moment = clock.now() + timedelta(hours=25)
    firing = spawn(app, "timers", "fire", "--as-of", moment.isoformat())
    try:
        wait_until(lambda: firing.poll() is not None or lease_holder(app) is not None)
        time.sleep(rng.uniform(0, 0.3))
    finally:
        kill(firing)
    for case_id in started:
        states = assert_whole(app, case_id)
        assert states in ({"verify_report": "open"}, {"verify_report": "cancelled", "county_takes_over": "open"}), states
    clock.travel_to(moment)
    next_run_proceeds(app, moment)
    for case_id in started:
        assert assert_whole(app, case_id) == {"verify_report": "cancelled", "county_takes_over": "open"}


def lease_holder(app) -> str | None:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == worker.LEASE))


def test_killed_servers_and_schedulers_leave_every_case_whole_and_block_nothing(crash_app):
    deploy_fixture(crash_app)
    rng = random.Random(int(os.environ.get("TONGHU_CRASH_SEED", "10")))
    for round_no in range(ROUNDS):
        if round_no % 2:
            fire_round(crash_app, rng)
        else:
            serve_round(crash_app, rng)
            next_run_proceeds(crash_app)


def test_a_lease_of_a_process_that_is_gone_is_taken_over_at_once(crash_app):
    """kill -9 during `tonghu timers fire`: the next run does not wait for the lease to expire."""
    factory = crash_app.extensions["tonghu.sessionmaker"]
    host = socket.gethostname()
    assert worker.claim_lease(factory, f"{host}:{os.getpid()}:alive")
    assert not worker.claim_lease(factory, worker.holder_name())  # a live holder keeps it
    worker.release_lease(factory, f"{host}:{os.getpid()}:alive", None)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert worker.claim_lease(factory, f"{host}:{gone.pid}:dead")
    assert worker.claim_lease(factory, worker.holder_name())  # this host sees the pid is gone
    with factory() as s:
        lease = s.get(SchedulerLease, worker.LEASE)
        assert lease.expires_at - datetime.now(timezone.utc) <= timedelta(seconds=60)  # short: lapses within a minute
    worker.release_lease(factory, lease.holder, None)
    assert worker.claim_lease(factory, "other-host:1:x")
    assert not worker.claim_lease(factory, worker.holder_name())  # another host's holder: only the expiry tells
