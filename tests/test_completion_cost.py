"""What one completion costs does not grow with the case's history or the child's file, and the
API's token check writes only when there is something to write (issue 13)."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, START_DATA
from webapp.engine import Clock
from webapp.models import CaseFileEntry, HumanTask, User, UserSession
from webapp.services import cases

INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                 "income": "低保", "living_conditions": "祖孙同住"}
TOWNSHIP = "township.430104001000"


def start(app, child_number: str) -> int:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
        birth = f"{child_number[6:10]}-{child_number[10:12]}-{child_number[12:14]}"
        data = {**START_DATA, "child": {**START_DATA["child"], "id_number": child_number, "birth_date": birth}}
        case = cases.start_case(s, engine, "entrustment_care", "430104001001", data, village, engine.clock.now())
        s.commit()
        return case.id


def add_history(app, case_id: int, steps: int, entries: int) -> None:
    """`steps` earlier completed tasks on the case and `entries` entries on its child's file."""
    make, now = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"].clock.now()
    with make() as s:
        task = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
        for n in range(steps):
            s.add(HumanTask(case_id=case_id, task_guid=f"earlier-{n}", name="earlier", title=f"第{n}步",
                            process_id=task.process_id, department=task.department, lane_department=task.lane_department,
                            level=task.level, office_region=task.office_region, case_region=task.case_region,
                            procedure=task.procedure, state="completed", created_at=now, completed_at=now,
                            data={"n": n}))
        for n in range(entries):
            s.add(CaseFileEntry(child_id=task.case.child_id, case_id=case_id, kind="event", title=f"记录{n}", created_at=now))
        s.commit()


@contextmanager
def counting(app):
    """SQL statements issued and rows of the case's tasks and the child's file turned into objects."""
    seen = {"statements": 0, "tasks": 0, "entries": 0, "flushes": 0}
    bind = app.extensions["tonghu.sessionmaker"].kw["bind"]

    def statement(*_args):
        seen["statements"] += 1

    def task_loaded(*_args):
        seen["tasks"] += 1

    def entry_loaded(*_args):
        seen["entries"] += 1

    def flushed(session, _context, _instances):
        seen["flushes"] += bool(session.new or session.dirty or session.deleted)

    listeners = [(bind, "before_cursor_execute", statement), (HumanTask, "load", task_loaded),
                 (CaseFileEntry, "load", entry_loaded), (Session, "before_flush", flushed)]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield seen
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)


def complete_first(app, case_id: int) -> dict:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        task_id = s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one()
        user = s.scalars(select(User).where(User.username == TOWNSHIP)).one()
    with make() as s, counting(app) as seen:
        user = s.get(User, user.id)
        cases.complete_task(s, engine, task_id, dict(INVESTIGATION), user, engine.clock.now())
        s.commit()
    with make() as s:
        assert s.get(HumanTask, task_id).state == "completed"
    return seen


def test_a_completion_reads_the_same_whatever_the_history(app):
    fresh = start(app, "430104201501010015")
    old = start(app, "430104201601010012")
    add_history(app, old, steps=500, entries=1000)
    on_fresh, on_old = complete_first(app, fresh), complete_first(app, old)
    # The user, BEGIN IMMEDIATE, the task with its case, the case's open tasks, then the one flush's
    # five writes (no timer rows to replace: the workflow waited on none).
    assert on_old["statements"] == on_fresh["statements"] <= 9
    assert on_old["tasks"] == on_fresh["tasks"] <= 3      # the task and the case's open ones, never its history
    assert on_old["entries"] == on_fresh["entries"] == 0  # the child's file is only added to
    assert on_old["flushes"] == on_fresh["flushes"] == 1  # the step and the rest of the run, written together


def test_the_api_answer_still_lists_the_whole_history(app, client):
    case_id = start(app, "430104201501010015")
    add_history(app, case_id, steps=30, entries=0)
    token = client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": PASSWORD}).get_json()["token"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        task_id = s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one()
    answer = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": INVESTIGATION},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert len(body["history"]) == 31 and [t["name"] for t in body["open_tasks"]] == ["assess_capacity"]
    assert [h["name"] for h in body["history"] if h["user"] == TOWNSHIP] == ["township_home_investigation"]


@pytest.fixture
def security_clock(app):
    clock = Clock()
    app.extensions["tonghu.security_clock"] = clock
    return clock


def last_seen(app):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalars(select(UserSession.last_seen_at).where(UserSession.kind == "api")).one()


def test_the_token_check_records_use_at_most_once_a_minute_even_when_the_call_fails(app, client, security_clock):
    token = client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    issued = last_seen(app)
    security_clock.advance(timedelta(seconds=30))
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200
    assert last_seen(app) == issued  # within the minute: nothing written
    security_clock.advance(timedelta(minutes=2))
    # A call that fails (422, rolled back) still leaves the token's use recorded.
    refused = client.post("/api/v1/tasks/999999/complete", json={"data": "不是对象"}, headers=headers)
    assert refused.status_code in (404, 422)
    assert last_seen(app) > issued + timedelta(minutes=2)


def test_an_api_completion_asks_the_database_only_what_it_needs(app, client):
    """Everything SQLite itself is asked for one `POST /tasks/{id}/complete` (its own trace, so
    connection pings and transaction statements count too): the token check reads, never
    writes; no ping; the answer reads the open tasks, their offices and the history once each."""
    case_id = start(app, "430104201501010015")
    token = client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with app.extensions["tonghu.sessionmaker"]() as s:
        task_id = s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one()
    bind = app.extensions["tonghu.sessionmaker"].kw["bind"]
    asked = []

    def trace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(asked.append)

    bind.dispose()  # every connection from now on is a traced one
    event.listen(bind, "connect", trace)
    try:
        assert client.get("/api/v1/tasks", headers=headers).status_code == 200  # the connection's setup, once
        asked.clear()
        answer = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": INVESTIGATION}, headers=headers)
    finally:
        event.remove(bind, "connect", trace)
        bind.dispose()
    assert answer.status_code == 200, answer.get_json()
    assert [t["name"] for t in answer.get_json()["open_tasks"]] == ["assess_capacity"]
    statements = [" ".join(sql.split()).upper() for sql in asked]
    assert not [sql for sql in statements if sql.startswith("UPDATE USER_SESSIONS")]  # within the minute
    assert "SELECT 1" not in statements  # a SQLite file needs no ping before each request
    # The token, BEGIN IMMEDIATE, the task, the step's file entry, the case's open tasks, the
    # flush (case, task, new task), the audit row; the answer's two reads (its open tasks with
    # their offices named, its history); COMMIT.
    assert len(statements) <= 12, statements
    assert not [sql for sql in statements if sql.startswith(("SELECT OFFICES.", "SELECT UNITS.", "SELECT REGIONS."))]
    assert sum(sql.startswith("SELECT") and "FROM USER_SESSIONS" in sql for sql in statements) == 1
    assert sum(sql.startswith("INSERT INTO AUDIT_LOG") for sql in statements) == 1
    assert sum(sql.startswith("INSERT INTO CASE_FILE_ENTRIES") for sql in statements) == 1


def test_the_answer_s_history_gives_each_moment_as_the_stored_value_s_isoformat(app, client):
    """The history is written as JSON by the database (services/cases/casefile.py): each moment must
    still read exactly as `datetime.isoformat` writes it, whole seconds and fractions alike."""
    assert_history_moments(app, client)


def assert_history_moments(app, client):
    """Also run on PostgreSQL (tests/test_postgres.py), whose session's time zone may be any."""
    from datetime import datetime, timezone
    case_id = start(app, "430104201501010015")
    add_history(app, case_id, steps=3, entries=0)
    moments = [datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
               datetime(2026, 3, 1, 8, 0, 0, tzinfo=timezone.utc), datetime(2026, 3, 1, 8, 0, 0, 1, tzinfo=timezone.utc)]
    with app.extensions["tonghu.sessionmaker"]() as s:
        earlier = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "completed")
                            .order_by(HumanTask.id)).all()
        for task, moment in zip(earlier, moments):
            task.completed_at = moment
        earlier[2].title = '第"2"步\n\\ \t</script>'  # the database's JSON escapes what it must
        s.commit()
    token = client.post("/api/v1/auth/token", json={"username": TOWNSHIP, "password": PASSWORD}).get_json()["token"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        task_id = s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one()
    answer = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": INVESTIGATION},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()
    history = answer.get_json()["history"]
    assert [h["completed_at"] for h in history[:3]] == [m.isoformat() for m in moments]
    assert history[1]["completed_at"] == "2026-03-01T08:00:00+00:00"
    assert [(h["name"], h["title"], h["department"], h["user"]) for h in history[:3]] == [
        ("earlier", title, "township", None) for title in ("第0步", "第1步", '第"2"步\n\\ \t</script>')]
    with app.extensions["tonghu.sessionmaker"]() as s:
        done = s.scalars(select(HumanTask).where(HumanTask.id == task_id)).one()
        assert history[-1]["completed_at"] == done.completed_at.astimezone(timezone.utc).isoformat() and history[-1]["user"] == TOWNSHIP
    assert history[-1]["name"] == "township_home_investigation" and len(history) == 4
    again = client.get(f"/api/v1/instances/{case_id}", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 200 and again.get_json()["history"] == history


def test_a_web_page_checks_its_session_without_a_transaction_of_its_own(app, browser, security_clock):
    """The session check commits only what it wrote (its last seen, at most once a minute): a page
    otherwise runs in one transaction, one checkout and, on PostgreSQL, one ping. (The one commit of a
    page that only read is its end, `webapp/db.py:end`, in place of a rollback.)"""
    from sqlalchemy import event
    browser.sign_in(TOWNSHIP)
    bind = app.extensions["tonghu.sessionmaker"].kw["bind"]
    seen = {"checkout": 0, "commit": 0}
    event.listen(bind, "checkout", lambda *_args: seen.__setitem__("checkout", seen["checkout"] + 1))
    event.listen(bind, "commit", lambda *_args: seen.__setitem__("commit", seen["commit"] + 1))
    security_clock.advance(timedelta(seconds=30))
    assert browser.get("/").status_code == 200
    assert seen == {"checkout": 1, "commit": 1}
    security_clock.advance(timedelta(minutes=2))  # now the use is recorded, before the page's own work
    assert browser.get("/").status_code == 200
    assert seen["commit"] == 1 + 2 and seen["checkout"] == 3
