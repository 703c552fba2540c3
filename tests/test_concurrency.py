"""Many officials at once, through the real HTTP server (werkzeug's threaded server on a loopback
port, one thread per request), on SQLite and on PostgreSQL.

- 20 parallel claims of one task, 20 rounds: exactly one 200, the others 409 naming the holder;
  a holder's release racing a supervisor's reassignment: exactly one wins.
- the five parallel signatures of an entrustment agreement, 20 rounds: five 200s, the case moves on once.
- 20 parallel completions of one task: one 200, nineteen 409, the step recorded once.
"""
import http.client
import json
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.conftest import demo_app_on_postgres
from tests.conftest import START_DATA
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, agreement_draft, api_token, capacity_assessment
from tests.steps.entrustment_steps import SIGNERS
from webapp.models import AuditEntry, Case, CaseFileEntry, HumanTask, User
from webapp.services import cases

pytestmark = pytest.mark.slow

VILLAGE, TOWNSHIP = "village.430104001001", "township.430104001000"
TOWNSHIP_SUPERVISOR, CIVIL_AFFAIRS = "supervisor.township.430104001000", "civil_affairs.430104000000"
HOME_INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                      "income": "低保", "living_conditions": "祖孙同住"}
UP_TO_SIGNING = [
    (TOWNSHIP, "township_home_investigation", HOME_INVESTIGATION),
    (CIVIL_AFFAIRS, "assess_capacity", capacity_assessment("insufficient", "不足")),
    (VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}),
    (CIVIL_AFFAIRS, "choose_institution", CHOOSE_WELFARE),
    (CIVIL_AFFAIRS, "draft_agreement", agreement_draft()),
]
PARALLEL = 20


# -- a real server and plain HTTP clients ------------------------------------------------------
class Server:
    """The app served by werkzeug's threaded server on 127.0.0.1, on a free port."""

    def __init__(self, app):
        self.app = app
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = api_token(self.app, username)
        return self.tokens[username]

    def post(self, username: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("POST", f"/api/v1{path}", json.dumps(body or {}),
                               {"Authorization": f"Bearer {self.token(username)}", "Content-Type": "application/json"})
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def stop(self):
        self.httpd.shutdown()
        self.thread.join(10)


def at_once(calls) -> list[tuple[int, dict]]:
    """Run the calls in threads released together; their (status, body) in the calls' order."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as err:  # a dropped connection shows as a failed count, with its cause
            results[index] = (0, {"error": repr(err)})

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


# -- data -------------------------------------------------------------------------------------------
def add_officials(app, office_username: str, count: int, tag: str) -> list[str]:
    """`count` more officials in the office of `office_username` (its password hash: no slow hashing)."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        model = s.scalars(select(User).where(User.username == office_username)).one()
        names = [f"{office_username}.{tag}{i}" for i in range(count)]
        for i, name in enumerate(names):
            s.add(User(username=name, display_name=f"干部{i}号", password_hash=model.password_hash, role="official",
                       office_id=model.office_id, active=True, created_at=datetime.now(timezone.utc)))
        s.commit()
    return names


def start_case(app) -> int:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        village = s.scalars(select(User).where(User.username == VILLAGE)).one()
        case_id = cases.start_case(s, engine, "entrustment_care", "430104001001", dict(START_DATA), village,
                                   engine.clock.now()).id
        s.commit()
        return case_id


def open_task(app, case_id: int, name: str) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                    HumanTask.state == "open")).one()


def complete(app, case_id: int, username: str, name: str, data: dict) -> None:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        cases.complete_task(s, engine, open_task(app, case_id, name), data, user, engine.clock.now())
        s.commit()


def case_at_signing(app) -> int:
    """An entrustment case whose five signatures are open."""
    case_id = start_case(app)
    for username, name, data in UP_TO_SIGNING:
        complete(app, case_id, username, name, data)
    return case_id


def statuses(results) -> list[int]:
    return sorted(status for status, _body in results)


# -- the backends -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pg_module_app(postgres_url):
    """One demo database on the throwaway cluster for this module (the demo data takes half a minute)."""
    with demo_app_on_postgres(postgres_url) as app:
        yield app


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(request):
    app = request.getfixturevalue("app" if request.param == "sqlite" else "pg_module_app")
    server = Server(app)
    yield server
    server.stop()


# -- claims ----------------------------------------------------------------------------------------------
def test_of_twenty_simultaneous_claims_exactly_one_wins_and_the_others_are_told_who(served):
    app = served.app
    officials = add_officials(app, TOWNSHIP, PARALLEL, "claim")
    for _round in range(20):
        task_id = open_task(app, start_case(app), "township_home_investigation")
        results = at_once([lambda u=u: served.post(u, f"/tasks/{task_id}/claim") for u in officials])
        assert statuses(results) == [200] + [409] * (PARALLEL - 1), results
        winner = next(officials[i] for i, (status, _b) in enumerate(results) if status == 200)
        for status, body in results:
            if status == 409:
                assert body["claimed_by"] == winner and "已由" in body["error"], body
        with app.extensions["tonghu.sessionmaker"]() as s:
            assert s.get(HumanTask, task_id).claimed_by.username == winner
            assert s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "task.claim", AuditEntry.target == f"task:{task_id}")) == 1


def test_a_release_racing_a_reassignment_is_never_a_lost_update(served):
    """Whatever the order, the outcome is that of one after the other: both pass (release first,
    then the free task is reassigned), or the second is refused; never both pass with the
    reassignment silently undone."""
    app = served.app
    holder, other = add_officials(app, TOWNSHIP, 2, "race")
    for _round in range(10):
        task_id = open_task(app, start_case(app), "township_home_investigation")
        assert served.post(holder, f"/tasks/{task_id}/claim")[0] == 200
        release, reassign = at_once([
            lambda: served.post(holder, f"/tasks/{task_id}/release"),
            lambda: served.post(TOWNSHIP_SUPERVISOR, f"/tasks/{task_id}/reassign", {"user_id": user_id(app, other)}),
        ])
        with app.extensions["tonghu.sessionmaker"]() as s:
            now_held = s.get(HumanTask, task_id).claimed_by
        outcome = (release[0], reassign[0], now_held.username if now_held else None)
        assert outcome in {(200, 200, other), (200, 409, None), (409, 200, other)}, (release, reassign, outcome)
        if 409 in outcome:
            assert "claimed_by" in (release if release[0] == 409 else reassign)[1] or "释放" in reassign[1]["error"]


def user_id(app, username: str) -> int:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalars(select(User.id).where(User.username == username)).one()


# -- completions ----------------------------------------------------------------------------------------
def test_five_parallel_signatures_all_succeed_and_the_agreement_moves_on_once(served):
    app = served.app
    for _round in range(20):
        case_id = case_at_signing(app)
        signs = {name: open_task(app, case_id, name) for name in SIGNERS}
        results = at_once([
            lambda n=n, u=u, w=w: served.post(u, f"/tasks/{signs[n]}/complete", {"data": {
                "signed": True, "signatory": w, "signed_on": "2026-11-20"}})
            for n, (u, w) in SIGNERS.items()])
        assert statuses(results) == [200] * 5, results
        with app.extensions["tonghu.sessionmaker"]() as s:
            rows = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).all()
            assert sorted(t.name for t in rows if t.name in SIGNERS and t.state == "completed") == sorted(SIGNERS)
            assert [t.name for t in rows if t.state == "open"] == ["admit_child"]
            assert s.get(Case, case_id).status == "running"
            steps = s.scalars(select(CaseFileEntry.title).where(CaseFileEntry.case_id == case_id,
                                                                CaseFileEntry.kind == "step")).all()
            assert len(steps) == len(UP_TO_SIGNING) + 5


def test_twenty_parallel_completions_of_one_task_give_one_success(served):
    app = served.app
    officials = add_officials(app, TOWNSHIP, PARALLEL, "done")
    for _round in range(3):
        case_id = start_case(app)
        task_id = open_task(app, case_id, "township_home_investigation")
        results = at_once([lambda u=u: served.post(u, f"/tasks/{task_id}/complete", {"data": HOME_INVESTIGATION})
                           for u in officials])
        assert statuses(results) == [200] + [409] * (PARALLEL - 1), results
        winner = next(officials[i] for i, (status, _b) in enumerate(results) if status == 200)
        assert all("办结" in body["error"] or "不在等待办理" in body["error"] for status, body in results if status == 409)
        with app.extensions["tonghu.sessionmaker"]() as s:
            task = s.get(HumanTask, task_id)
            assert task.state == "completed" and task.completed_by.username == winner
            rows = s.scalars(select(HumanTask.name).where(HumanTask.case_id == case_id, HumanTask.state == "open")).all()
            assert rows == ["assess_capacity"]
            assert s.scalar(select(func.count()).select_from(CaseFileEntry).where(
                CaseFileEntry.case_id == case_id, CaseFileEntry.kind == "step")) == 1



# -- a new child reported twice ---------------------------------------------------------------------------
def test_a_new_child_reported_twice_at_once_gets_two_cases_and_one_file(served):
    """Two offices report the same new child at the same moment: both cases open, one child's file."""
    from tests.nodes import child
    for serial in range(900, 910):
        body = {"region": "430104001001", "data": {**START_DATA, "child": child(serial)}}
        results = at_once([lambda: served.post(VILLAGE, "/processes/entrustment_care/instances", body),
                           lambda: served.post(CIVIL_AFFAIRS, "/processes/entrustment_care/instances", body)])
        assert statuses(results) == [201, 201], results
        assert results[0][1]["child_id"] == results[1][1]["child_id"], results
        with served.app.extensions["tonghu.sessionmaker"]() as s:
            assert s.scalar(select(func.count()).select_from(Case).where(Case.child_id == results[0][1]["child_id"])) == 2
