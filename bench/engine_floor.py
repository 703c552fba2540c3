#!/usr/bin/env python3
"""Benchmark: how far the service and HTTP paths sit above the bare engine (issue 13, point 1).

One entrustment case from start to admission (11 completions), three ways, interleaved in one
run on one SQLite database, each repeated (default 3) and the median taken:

- bare SpiffWorkflow through `webapp.engine`: deserialize → complete the task and run the
  engine steps that follow → serialize, nothing else;
- the service path: `cases.complete_task` + commit (task list, timers, file, audit, version check);
- HTTP: `POST /api/v1/tasks/{id}/complete` against a real HTTP server (werkzeug, in a thread of
  this process) over one keep-alive connection.

    .venv/bin/python bench/engine_floor.py             # 3 repetitions
    .venv/bin/python bench/engine_floor.py --smoke     # one repetition, for CI: it must run
"""
import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_cycles import START, TO_ADMISSION  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.engine import Clock, context_factory_for  # noqa: E402
from webapp.models import HumanTask, User  # noqa: E402
from webapp.services import accounts, cases, definitions, organisation  # noqa: E402

STEPS = TO_ADMISSION + [("care_institution.430104000000", "admit_child",
                         {"admitted_on": "2026-11-20", "care_plan": "日常照料"})]
PASSWORD = "bench-password"


class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class Paths:
    def __init__(self, database: Path):
        hashed = accounts.hash_password(PASSWORD)
        organisation.hash_password = lambda password: hashed  # nobody needs their own password here
        self.app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench", "CLOCK": Clock()})
        result = self.app.test_cli_runner().invoke(args=["demo-data"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        self.make = self.app.extensions["tonghu.sessionmaker"]
        self.engine = self.app.extensions["tonghu.engine"]
        self.server = make_server("127.0.0.1", 0, self.app, threaded=False, request_handler=Quiet)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.http = http.client.HTTPConnection("127.0.0.1", self.server.server_port)
        self.tokens = {}

    def _start(self) -> int:
        with self.make() as s:
            village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
            case = cases.start_case(s, self.engine, "entrustment_care", "430104001001", START, village,
                                    self.engine.clock.now())
            s.commit()
            return case.id

    def _task(self, case_id: int, name: str) -> int:
        with self.make() as s:
            return s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                        HumanTask.state == "open")).one()

    def bare(self) -> list[float]:
        with self.make() as s:
            bundle = definitions.bundle_of(definitions.get_latest_or_404(s, "entrustment_care"))
        factory = context_factory_for(self.engine, 0, "430104001001", "entrustment_care")
        blob = self.engine.dumps(self.engine.start(bundle, "entrustment_care", dict(START), factory).workflow)
        times = []
        for _user, name, data in STEPS:
            started = time.perf_counter()
            workflow = self.engine.loads(blob, factory)
            guid = next(t.guid for t in self.engine.ready_tasks(workflow) if t.name == name)
            self.engine.complete(workflow, guid, dict(data))
            blob = self.engine.dumps(workflow)
            times.append(time.perf_counter() - started)
        return times

    def service(self) -> list[float]:
        case_id = self._start()
        times = []
        for username, name, data in STEPS:
            task_id = self._task(case_id, name)
            with self.make() as s:
                user = s.scalars(select(User).where(User.username == username)).one()
                started = time.perf_counter()
                cases.complete_task(s, self.engine, task_id, dict(data), user, self.engine.clock.now())
                s.commit()
                times.append(time.perf_counter() - started)
        return times

    def _call(self, method, path, body, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http.request(method, path, json.dumps(body), headers)
        response = self.http.getresponse()
        payload = response.read()
        if response.status != 200:
            raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = self._call("POST", "/api/v1/auth/token",
                                               {"username": username, "password": PASSWORD})["token"]
        return self.tokens[username]

    def over_http(self) -> list[float]:
        case_id = self._start()
        times = []
        for username, name, data in STEPS:
            task_id, token = self._task(case_id, name), self.token(username)
            started = time.perf_counter()
            self._call("POST", f"/api/v1/tasks/{task_id}/complete", {"data": data}, token)
            times.append(time.perf_counter() - started)
        return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each path (median taken)")
    parser.add_argument("--smoke", action="store_true", help="one repetition: does it run")
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp) / "floor.sqlite")
        runs = {"bare": [], "service": [], "http": []}
        paths.bare(), paths.service(), paths.over_http()  # warm up: parse, caches, connections
        for _ in range(repeat):  # interleaved, so drift on a shared machine hits all three alike
            runs["bare"].append(statistics.mean(paths.bare()) * 1000)
            runs["service"].append(statistics.mean(paths.service()) * 1000)
            runs["http"].append(statistics.mean(paths.over_http()) * 1000)
        paths.server.shutdown()
        paths.make.kw["bind"].dispose()
    floor = statistics.median(runs["bare"])
    labels = {"bare": "bare SpiffWorkflow: deserialize → run → engine steps → serialize",
              "service": "cases.complete_task + commit on SQLite",
              "http": "POST /api/v1/tasks/{id}/complete over HTTP"}
    print(f"entrustment_care from start to admission, {len(STEPS)} completions per case, "
          f"median of {repeat} interleaved repetitions")
    print(f"{'path':66} {'ms per completion':>18} {'ratio':>6}")
    for key, label in labels.items():
        median = statistics.median(runs[key])
        print(f"{label:66} {median:18.1f} {median / floor:5.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
