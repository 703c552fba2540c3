"""Several nodes on one PostgreSQL: two `tonghu serve` (gunicorn, 2 workers each) and two
`tonghu worker` (interval 0.3 s) on a throwaway cluster, migrated by `tonghu db upgrade`.

Ten client threads drive 200 cases through the JSON API of both servers:

- 120 entrustment cases: started, the home investigation completed (every fourth by two
  officials at once, one on each server), every other assessment completed too;
- 10 new children each reported on both servers at the same moment (two cases, one file);
- 60 mandatory reports on the test diagram tests/fixtures/report_timers.bpmn with its clock
  shortened to seconds (reminders every 2 s, twice; the county takes over after 6 s and its
  task is due 3 s later): a third verified at once, a third verified around the 6th second
  (racing the boundary timer), a third left for the timer.

While they run, the worker holding the scheduler lease is killed with SIGKILL. Then the
app clock moves 31 days with `tonghu timers fire --as-of` (twice, the same moment): the
reports' 30-day return visits and every entrustment deadline fall due.

Asserted: every acknowledged completion is applied once (task row, child's file, audit) and
nothing unacknowledged is; no task is open twice; every due timer and deadline fired exactly
once (reminders, take-overs, return visits, overdue marks and notices); the surviving worker
took the lease over at once and did the work. About two minutes on two cores.
"""
import json
import random
import signal
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import nodes
from tests.conftest import START_DATA
from tests.test_concurrency import HOME_INVESTIGATION, add_officials
from tests.helpers import capacity_assessment
from tests.test_crash import assert_whole
from tests.test_timers import FIXTURES, reminders_sent
from webapp import create_app
from webapp.models import AuditEntry, Case, CaseFileEntry, HumanTask, Notification, SchedulerLease, User, WaitingTimer
from webapp.services import definitions, forms

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ENTRUSTMENTS, TWINS, REPORTS, CLIENTS = 120, 10, 60, 10
VILLAGE, TOWNSHIP, CIVIL_AFFAIRS = "village.430104001001", "township.430104001000", "civil_affairs.430104000000"
ASSESSMENT = capacity_assessment("insufficient", "不足")
SHORT_CLOCK = {'"PT24H"': '"PT6S"', '"R2/PT6H"': '"R2/PT2S"', 'name="dueIn" value="PT4H"': 'name="dueIn" value="PT3S"'}


@pytest.fixture(scope="module")
def cluster(postgres_url, tmp_path_factory):
    """The migrated demo database, the short-clock report diagram deployed, an app to read it."""
    env = nodes.environment(postgres_url)
    nodes.tonghu(env, "db", "upgrade")
    nodes.tonghu(env, "demo-data")
    app = create_app({"TESTING": True, "DATABASE_URL": postgres_url, "SECRET_KEY": nodes.SECRET})
    diagram = (FIXTURES / "report_timers.bpmn").read_text(encoding="utf-8")
    for long, short in SHORT_CLOCK.items():
        assert long in diagram, long
        diagram = diagram.replace(long, short)
    all_forms = {**forms.load_forms(app.config["FORMS_DIR"]),
                 "fixture_note.json": json.loads((FIXTURES / "fixture_note.json").read_text(encoding="utf-8"))}
    with app.extensions["tonghu.sessionmaker"]() as s:
        definitions.deploy(s, {"report_timers.bpmn": diagram}, all_forms, datetime.now(timezone.utc))
        s.commit()
    yield app, env, tmp_path_factory.mktemp("logs")
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


class Load:
    """The clients: what each was told (every answer kept), cases in the order they were acknowledged."""

    def __init__(self, api, servers, officials):
        self.api, self.servers, self.officials = api, servers, officials
        self.answers: list[dict] = []  # {"task", "user", "status", "body", "at"}
        self.cases: dict[int, str] = {}
        self.done = 0
        self._lock = threading.Lock()

    def start(self, i: int, process: str, server: int | None = None, check: bool = True):
        """Start a case for child number `i`: its JSON (or, unchecked, the status and the answer)."""
        status, body = self.api.post(self.servers[i % 2 if server is None else server], VILLAGE,
                                     f"/processes/{process}/instances",
                                     {"region": "430104001001", "data": {**START_DATA, "child": nodes.child(i)}})
        if status == 201:
            self.cases[body["id"]] = process
        if not check:
            return status, body
        assert status == 201, (status, body)
        return body

    def complete(self, server, user: str, task_id: int, data: dict) -> tuple[int, dict]:
        status, body = self.api.post(server, user, f"/tasks/{task_id}/complete", {"data": data})
        self.answers.append({"task": task_id, "user": user, "status": status, "body": body,
                             "at": datetime.now(timezone.utc)})
        return status, body

    def entrustment(self, i: int) -> None:
        task = self.start(i, "entrustment_care")["open_tasks"][0]["id"]
        if i % 4 == 0:  # two officials at once, one on each server: one wins
            both = [threading.Thread(target=self.complete, args=(self.servers[k], self.officials[k], task, HOME_INVESTIGATION))
                    for k in (0, 1)]
            [t.start() for t in both]
            [t.join() for t in both]
            won = [a["body"] for a in self.answers if a["task"] == task and a["status"] == 200]
            assert len(won) == 1, [a for a in self.answers if a["task"] == task]
            body = won[0]
        else:
            status, body = self.complete(self.servers[(i + 1) % 2], TOWNSHIP, task, HOME_INVESTIGATION)
            assert status == 200, body
        if i % 2:
            assessment = next(t["id"] for t in body["open_tasks"] if t["name"] == "assess_capacity")
            assert self.complete(self.servers[i % 2], CIVIL_AFFAIRS, assessment, ASSESSMENT)[0] == 200

    def twins(self, i: int) -> None:
        """One new child reported on both servers at the same moment: two cases, one child's file."""
        answers = []
        both = [threading.Thread(target=lambda k=k: answers.append(self.start(i, "entrustment_care", k, check=False)))
                for k in (0, 1)]
        [t.start() for t in both]
        [t.join() for t in both]
        assert [status for status, _body in answers] == [201, 201], answers
        assert answers[0][1]["child_id"] == answers[1][1]["child_id"], answers

    def report(self, i: int, rng: random.Random) -> None:
        started, body = time.monotonic(), self.start(i, "report_timers")
        if i % 3 == 2:
            return  # left for the boundary timer
        if i % 3 == 1:  # verified around the moment the county takes over
            time.sleep(max(0.0, started + rng.uniform(5.0, 7.5) - time.monotonic()))
        status, answer = self.complete(self.servers[i % 2], VILLAGE, body["open_tasks"][0]["id"], {"note": "已核实"})
        assert status == 200 or (status == 409 and "已取消" in answer["error"]), (status, answer)

    def run(self, job) -> None:
        try:
            job()
        finally:
            with self._lock:
                self.done += 1


def lease_holder_pid(app) -> int | None:
    with app.extensions["tonghu.sessionmaker"]() as s:
        holder = s.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == "scheduler"))
    return int(holder.split(":")[1]) if holder else None


def last_run_at(app) -> datetime | None:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalar(select(SchedulerLease.last_run_at).where(SchedulerLease.name == "scheduler"))


def quiet(app) -> bool:
    """Nothing due is left waiting at real time: every timer fired, every overdue task marked."""
    now = datetime.now(timezone.utc) - timedelta(seconds=1)
    with app.extensions["tonghu.sessionmaker"]() as s:
        timers = s.scalar(select(func.count()).select_from(WaitingTimer).join(Case, Case.id == WaitingTimer.case_id)
                          .where(WaitingTimer.fire_at < now, Case.status == "running"))
        overdue = s.scalar(select(func.count()).select_from(HumanTask).where(
            HumanTask.state == "open", HumanTask.due < now, HumanTask.escalated_at.is_(None)))
    return timers == 0 and overdue == 0


def scheduler_runs(log: Path, offset: int = 0) -> list[dict]:
    lines = log.read_bytes()[offset:].decode(errors="replace").splitlines()
    runs = [json.loads(line) for line in lines if line.startswith("{") and '"scheduler_run"' in line]
    return [r for r in runs if r["ran"]]


def fire_as_of(env, moment: datetime) -> dict[str, int]:
    """`tonghu timers fire --as-of`, again while the live worker holds the lease; its counts."""
    for _attempt in range(20):
        try:
            out = nodes.tonghu(env, "timers", "fire", "--as-of", moment.isoformat(), timeout=120).stdout
        except RuntimeError as err:
            assert "调度租约被占用" in str(err), err
            continue
        counts = {"timers": int(out.split("已触发 ")[1].split(" ")[0])}
        counts.update({k.strip(): int(v) for k, v in (line.rsplit(": ", 1) for line in out.splitlines()[1:])})
        return counts
    raise AssertionError("the lease was never free for `tonghu timers fire`")


def test_two_servers_and_two_workers_on_postgresql_keep_every_guarantee(cluster):
    app, env, logs = cluster
    officials = add_officials(app, TOWNSHIP, 2, "node")
    servers = [nodes.Server(env, logs / f"serve{k}.log", workers=2) for k in (0, 1)]
    workers = [nodes.spawn(env, logs / f"worker{k}.log", "worker", "--interval", "0.3") for k in (0, 1)]
    try:
        load = Load(nodes.Api(servers[0]), servers, officials)
        rng = random.Random(12)
        jobs = [lambda i=i: load.entrustment(i) for i in range(ENTRUSTMENTS)]
        jobs += [lambda i=i: load.report(i, rng) for i in range(ENTRUSTMENTS, ENTRUSTMENTS + REPORTS)]
        jobs += [lambda i=i: load.twins(i) for i in range(ENTRUSTMENTS + REPORTS, ENTRUSTMENTS + REPORTS + TWINS)]
        rng.shuffle(jobs)
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(load.run, job) for job in jobs]
            assert nodes.wait_until(lambda: load.done >= len(jobs) * 0.4, 120)
            holding = []  # the worker holding the lease, caught in the act
            assert nodes.wait_until(lambda: holding.extend(w for w in workers if w.pid == lease_holder_pid(app))
                                    or holding, 30, 0.005)
            victim = holding[0]
            nodes.stop(victim, signal.SIGKILL)  # and reaped: its pid is gone
            killed_at, survivor = datetime.now(timezone.utc), workers[1 - workers.index(victim)]
            survivor_log = logs / f"worker{workers.index(survivor)}.log"
            offset = survivor_log.stat().st_size
            # taken over at once (a dead holder on this host), not after the 60 s lease ran out
            assert nodes.wait_until(lambda: (last_run_at(app) or killed_at) > killed_at, 20), "lease not taken over"
            [f.result() for f in futures]  # a client's failed assertion fails here
        assert nodes.wait_until(lambda: quiet(app), 60, 0.5), "due timers or deadlines left unfired"
        handed = scheduler_runs(survivor_log, offset)
        assert sum(r["result"]["timers"] for r in handed) > 0 and survivor.poll() is None, handed[-3:]

        moment = datetime.now(timezone.utc) + timedelta(days=31)
        first, again = fire_as_of(env, moment), fire_as_of(env, moment)
        verified = verified_reports(app, load)
        assert first["timers"] >= len(verified) and first["逾期升级"] > 0, first
        assert again["timers"] == 0 and again["逾期升级"] == 0, again  # nothing fires twice
        assert nodes.stop(survivor) == 0
        check_completions(app, load)
        check_reports(app, load, verified)
        check_deadlines(app, load, moment)
    finally:
        for process in workers:
            nodes.stop(process)
        for server in servers:
            server.stop()


# -- what the database must say ----------------------------------------------------------------------
def verified_reports(app, load) -> set[int]:
    with app.extensions["tonghu.sessionmaker"]() as s:
        return set(s.scalars(select(HumanTask.case_id).where(
            HumanTask.case_id.in_(load.cases), HumanTask.name == "verify_report", HumanTask.state == "completed")))


def check_completions(app, load) -> None:
    """Every 200 applied once by its sender; every 409 said why and changed nothing; nothing else."""
    statuses = Counter(a["status"] for a in load.answers)
    assert set(statuses) <= {200, 409}, statuses
    acknowledged = Counter(a["task"] for a in load.answers if a["status"] == 200)
    assert max(acknowledged.values()) == 1
    by_task = defaultdict(list)
    for answer in load.answers:
        by_task[answer["task"]].append(answer["status"])
    assert all(sorted(told) == [200, 409] for told in by_task.values() if len(told) == 2)  # two officials at once
    with app.extensions["tonghu.sessionmaker"]() as s:
        started = s.scalars(select(Case.id).join(User, User.id == Case.started_by_id).where(User.username == VILLAGE))
        assert set(started) == set(load.cases)
        done = s.scalars(select(HumanTask).where(HumanTask.case_id.in_(load.cases), HumanTask.state == "completed")).all()
        assert {t.id for t in done} == set(acknowledged)
        winners = {a["task"]: a["user"] for a in load.answers if a["status"] == 200}
        assert all(t.completed_by.username == winners[t.id] for t in done)
        for case_id in load.cases:
            open_rows = s.execute(select(HumanTask.name, func.count()).where(
                HumanTask.case_id == case_id, HumanTask.state == "open").group_by(HumanTask.name)).all()
            assert all(n == 1 for _name, n in open_rows), (case_id, open_rows)
            assert s.get(Case, case_id).status == "running", case_id
    for case_id in load.cases:  # task rows, workflow, child's file and audit agree
        assert_whole(app, case_id)


def check_reports(app, load, verified: set[int]) -> None:
    """Reminders, take-over and return visit, each once; a verified report was reminded only before."""
    reports = [c for c, p in load.cases.items() if p == "report_timers"]
    assert 0 < len(verified) < len(reports)
    with app.extensions["tonghu.sessionmaker"]() as s:
        for case_id in reports:
            rows = Counter((t.name, t.state) for t in s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)))
            sent = reminders_sent(app, case_id)
            if case_id in verified:
                assert rows == {("verify_report", "completed"): 1, ("return_visit", "open"): 1}, (case_id, rows)
                task = s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id,
                                                            HumanTask.name == "verify_report")).one()
                told = next(a["at"] for a in load.answers if a["task"] == task and a["status"] == 200)
                elapsed = (told - s.get(Case, case_id).started_at).total_seconds()  # an upper bound
                assert sent <= sum(elapsed > due for due in (2, 4)), (case_id, sent, elapsed)
            else:
                assert rows == {("verify_report", "cancelled"): 1, ("county_takes_over", "open"): 1}, (case_id, rows)
                assert sent == 2, (case_id, sent)


def check_deadlines(app, load, moment: datetime) -> None:
    """Every task open past its due date was marked, recorded and notified exactly once."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalar(select(func.count()).select_from(WaitingTimer).where(
            WaitingTimer.case_id.in_(load.cases), WaitingTimer.fire_at <= moment)) == 0
        open_tasks = s.scalars(select(HumanTask).where(HumanTask.case_id.in_(load.cases), HumanTask.state == "open")).all()
        overdue = [t for t in open_tasks if t.due is not None and t.due < moment]
        assert {t.name for t in overdue} >= {"county_takes_over", "record_guardian_consent", "assess_capacity"}
        for task in overdue:
            assert task.escalated_at is not None, task.name
            audits = s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "task.overdue", AuditEntry.target == f"task:{task.id}"))
            entries = s.scalar(select(func.count()).select_from(CaseFileEntry).where(
                CaseFileEntry.case_id == task.case_id, CaseFileEntry.title == f"任务逾期：{task.title}"))
            notices = s.execute(select(Notification.recipient_id, func.count()).where(
                Notification.task_id == task.id).group_by(Notification.recipient_id)).all()
            assert (audits, entries) == (1, 1) and notices and all(n == 1 for _r, n in notices), (task.name, audits, entries, notices)
        never = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "task.overdue",
            AuditEntry.target.in_([f"task:{t.id}" for t in open_tasks if t not in overdue])))
        assert never == 0
