"""Timer events fired by the scheduler: boundary (interrupting or not), cycles, intermediate.

A test-only diagram (tests/fixtures/report_timers.bpmn): a mandatory report that the village
must verify within 24 hours, else it escalates to county civil affairs (interrupting boundary
timer); reminders every 6 hours, twice (non-interrupting time cycle); after verification a
return visit 30 days later (intermediate timer).
"""
import json
import threading
import time
from datetime import timedelta
from pathlib import Path

from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from tests.conftest import START_DATA
from tests.helpers import run_due
from webapp import create_app, worker
from webapp.engine import Engine
from webapp.models import Case, HumanTask, SchedulerLease, User, WaitingTimer
from webapp.services import cases, definitions, forms

FIXTURES = Path(__file__).parent / "fixtures"
VILLAGE = "village.430104001001"
COUNTY = "civil_affairs.430104000000"


def deploy_fixture(app):
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    all_forms = {**forms.load_forms(app.config["FORMS_DIR"]),
                 "fixture_note.json": json.loads((FIXTURES / "fixture_note.json").read_text(encoding="utf-8"))}
    with make() as s:
        definitions.deploy(s, {"report_timers.bpmn": (FIXTURES / "report_timers.bpmn").read_text(encoding="utf-8")},
                           all_forms, engine.clock.now())
        s.commit()


def start_report(app) -> int:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        user = s.scalars(select(User).where(User.username == VILLAGE)).one()
        case = cases.start_case(s, engine, "report_timers", "430104001001", dict(START_DATA), user, engine.clock.now())
        s.commit()
        return case.id


def tasks_of(app, case_id) -> list[tuple[str, str]]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return [(t.name, t.state) for t in s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)
                                                    .order_by(HumanTask.id))]


def reminders_sent(app, case_id) -> int:
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        workflow = engine.loads(s.get(Case, case_id).workflow_json)
    return len([t for t in workflow.get_tasks()
                if t.task_spec.name == "count_reminder" and t.state == TaskState.COMPLETED])


def complete(app, case_id, name, username, data):
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        task = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                 HumanTask.state == "open")).one()
        user = s.scalars(select(User).where(User.username == username)).one()
        cases.complete_task(s, engine, task.id, data, user, engine.clock.now())
        s.commit()


def test_a_boundary_timer_gives_the_task_its_due_date(app, api):
    deploy_fixture(app)
    started = app.extensions["tonghu.engine"].clock.now()
    case_id = start_report(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        task = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
        assert abs((task.due - started) - timedelta(hours=24)) < timedelta(seconds=5)
        timers = s.scalars(select(WaitingTimer).where(WaitingTimer.case_id == case_id)
                           .order_by(WaitingTimer.fire_at)).all()
        assert [t.name for t in timers] == ["每6小时提醒", "24小时未核实"]
    listed = [t for t in api(VILLAGE).get("/tasks").get_json() if t["instance_id"] == case_id]
    assert listed[0]["due"] == task.due.isoformat() and listed[0]["overdue"] is False


def test_non_interrupting_cycle_reminds_and_keeps_the_task(app, clock):
    deploy_fixture(app)
    case_id = start_report(app)
    clock.advance(timedelta(hours=7))
    assert run_due(app)["timers"] == 1
    assert reminders_sent(app, case_id) == 1
    assert tasks_of(app, case_id) == [("verify_report", "open")]
    with app.extensions["tonghu.sessionmaker"]() as s:
        next_reminder = s.scalars(select(WaitingTimer).where(WaitingTimer.case_id == case_id,
                                                             WaitingTimer.name == "每6小时提醒")).one()
        assert next_reminder.fire_at > clock.now()


def test_interrupting_boundary_timer_escalates_to_the_county(app, clock, api):
    deploy_fixture(app)
    case_id = start_report(app)
    clock.advance(timedelta(hours=25))
    assert run_due(app)["timers"] == 1
    assert tasks_of(app, case_id) == [("verify_report", "cancelled"), ("county_takes_over", "open")]
    assert reminders_sent(app, case_id) == 2  # both cycles missed while nobody looked fire on catching up
    county = [t["name"] for t in api(COUNTY).get("/tasks").get_json() if t["instance_id"] == case_id]
    assert county == ["county_takes_over"]
    assert [t for t in api(VILLAGE).get("/tasks").get_json() if t["instance_id"] == case_id] == []


def test_firing_twice_at_the_same_moment_does_nothing_twice(app, clock):
    deploy_fixture(app)
    case_id = start_report(app)
    clock.advance(timedelta(hours=25))
    first, second = run_due(app), run_due(app)
    assert first["timers"] == 1 and second == {name: 0 for name in second}
    assert tasks_of(app, case_id).count(("county_takes_over", "open")) == 1


def test_intermediate_timer_waits_thirty_days(app, clock):
    deploy_fixture(app)
    case_id = start_report(app)
    clock.advance(timedelta(hours=2))
    complete(app, case_id, "verify_report", VILLAGE, {"note": "已核实，儿童安全"})
    clock.advance(timedelta(days=29))
    run_due(app)
    assert ("return_visit", "open") not in tasks_of(app, case_id)
    clock.advance(timedelta(days=2))
    assert run_due(app)["timers"] == 1
    assert tasks_of(app, case_id)[-1] == ("return_visit", "open")
    assert reminders_sent(app, case_id) == 0  # the reminders went with the verified task


def test_cli_fires_as_of_a_moment(app, runner):
    deploy_fixture(app)
    case_id = start_report(app)
    moment = (app.extensions["tonghu.engine"].clock.now() + timedelta(hours=30)).isoformat()
    result = runner.invoke(args=["timers", "fire", "--as-of", moment])
    assert result.exit_code == 0, result.output
    assert "已触发 1 个案件的到期定时器" in result.output
    assert tasks_of(app, case_id)[-1] == ("county_takes_over", "open")
    again = runner.invoke(args=["timers", "fire", "--as-of", moment])
    assert "已触发 0 个案件的到期定时器" in again.output


def test_cli_refuses_a_moment_it_cannot_read(runner):
    result = runner.invoke(args=["timers", "fire", "--as-of", "next tuesday"])
    assert result.exit_code != 0 and "ISO 8601" in result.output


def test_a_failing_step_after_a_timer_puts_only_that_case_in_error(app, clock, monkeypatch):
    deploy_fixture(app)
    broken, healthy = start_report(app), start_report(app)
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:  # mark one case, so the patched engine fails on it
        case = s.get(Case, broken)
        workflow = engine.loads(case.workflow_json)
        workflow.data["broken"] = True
        case.workflow_json = engine.dumps(workflow)
        s.commit()
    original = Engine.fire_timers

    def fire(self, workflow):
        if workflow.data.get("broken"):
            raise WorkflowException("处理程序不可用")
        return original(self, workflow)

    monkeypatch.setattr(Engine, "fire_timers", fire)
    clock.advance(timedelta(hours=25))
    assert run_due(app)["timers"] == 2
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.get(Case, broken).status == "error" and "处理程序不可用" in s.get(Case, broken).error_message
        assert s.get(Case, healthy).status == "running"
    assert tasks_of(app, healthy)[-1] == ("county_takes_over", "open")
    assert run_due(app)["timers"] == 0  # the broken case no longer comes up


# -- the worker: catching up at start, once across processes ----------------------------------
def second_app(app, clock, **config):
    return create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test-secret",
                       "CLOCK": clock, **config})


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_timer_due_while_the_app_was_down_fires_at_the_next_start(app, clock):
    deploy_fixture(app)
    case_id = start_report(app)
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()  # the app stops
    clock.advance(timedelta(days=3))                               # ... for three days
    restarted = second_app(app, clock, TIMER_INTERVAL=3600)
    assert "tonghu.worker" not in restarted.extensions  # create_app starts no thread
    try:
        running = worker.start(restarted)  # what the worker process runs at its start
        assert running.is_alive() and running.daemon
        assert wait_for(lambda: running.runs >= 1), "the worker did not run at start"
        assert running.last_result["timers"] == 1
        assert tasks_of(restarted, case_id)[-1] == ("county_takes_over", "open")
        assert worker.last_run(restarted.extensions["tonghu.sessionmaker"]).holder is None  # lease released
    finally:
        restarted.extensions["tonghu.worker"].stop()
        restarted.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def test_two_processes_on_one_database_fire_a_timer_once(app, clock):
    deploy_fixture(app)
    case_id = start_report(app)
    clock.advance(timedelta(hours=25))
    other = second_app(app, clock)
    results, barrier = {}, threading.Barrier(2)

    def fire(name, instance):
        barrier.wait()
        results[name] = worker.run_once(instance.extensions["tonghu.sessionmaker"], instance.extensions["tonghu.engine"])

    threads = [threading.Thread(target=fire, args=(n, a)) for n, a in (("first", app), ("second", other))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        other.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    fired = [r["timers"] for r in results.values() if r is not None]
    assert sorted(fired, reverse=True)[0] == 1 and sum(fired) == 1, results
    assert tasks_of(app, case_id) == [("verify_report", "cancelled"), ("county_takes_over", "open")]
    assert reminders_sent(app, case_id) == 2


def test_the_lease_is_held_by_one_and_taken_over_when_it_expires(app):
    factory = app.extensions["tonghu.sessionmaker"]
    assert worker.claim_lease(factory, "host-a:1")
    assert worker.claim_lease(factory, "host-a:1")  # ours already: renewed
    assert not worker.claim_lease(factory, "host-b:2")
    with factory() as s:  # host-a died; its lease runs out
        lease = s.get(SchedulerLease, worker.LEASE)
        lease.expires_at = lease.expires_at - timedelta(hours=1)
        s.commit()
    assert worker.claim_lease(factory, "host-b:2")
    assert worker.run_once(factory, app.extensions["tonghu.engine"], holder="host-a:1") is None
    worker.release_lease(factory, "host-b:2", None)
    assert worker.run_once(factory, app.extensions["tonghu.engine"], holder="host-a:1") is not None


def test_cli_status_says_what_is_waiting(app, runner, clock):
    deploy_fixture(app)
    start_report(app)
    before = runner.invoke(args=["timers", "status"])
    assert before.exit_code == 0, before.output
    assert "等待中的定时器：2 个（已到期 0 个" in before.output and "调度程序尚未运行过" in before.output
    runner.invoke(args=["timers", "fire", "--as-of", (clock.now() + timedelta(hours=25)).isoformat()])
    after = runner.invoke(args=["timers", "status"]).output
    assert "等待中的定时器：0 个" in after and "逾期未办的任务：0 个" in after and "调度程序上次运行" in after


def test_check_refuses_a_due_at_that_is_not_an_expression(app):
    from webapp.services.checks import check_files
    xml = (FIXTURES / "report_timers.bpmn").read_text(encoding="utf-8").replace(
        '<spiffworkflow:property name="dueIn" value="P7D"/>', '<spiffworkflow:property name="dueAt" value="visit due +"/>')
    all_forms = {**forms.load_forms(app.config["FORMS_DIR"]),
                 "fixture_note.json": json.loads((FIXTURES / "fixture_note.json").read_text(encoding="utf-8"))}
    problems = [str(p) for p in check_files({"report_timers.bpmn": xml}, all_forms)]
    assert any("dueAt=visit due +" in p for p in problems), problems
