#!/usr/bin/env python3
"""Benchmark: how far the service and HTTP paths sit above the bare engine (issue 13, point 1).

One entrustment case from start to admission (11 completions), four ways, interleaved in one
run on one SQLite database, each repeated (default 7: this shared machine's speed drifts within
seconds) and the median taken:

- bare SpiffWorkflow with its stock serializer: deserialize → complete the task and run the
  engine steps that follow → serialize, nothing else (the reference, ratio 1.0);
- the same through `webapp.engine`, whose serializer restores a version's specs once and shares
  them (the same JSON): the floor as Tonghu lowered it;
- the service path: `cases.complete_task` + commit (task list, timers, file, audit, version check);
- HTTP: `POST /api/v1/tasks/{id}/complete` against the production server as `tonghu serve` runs
  it (gunicorn, one `gthread` worker, in a process of its own on the same database) over one
  keep-alive connection; the case is started over HTTP too, so that process holds its workflow.

    .venv/bin/python bench/engine_floor.py             # 7 repetitions
    .venv/bin/python bench/engine_floor.py --smoke     # one repetition, for CI: it must run

Then "flat with history" (issue 13.2): the first step of a fresh case of a new child against
the same step of a case with 500 earlier completed steps whose child's file holds 1 000
entries, through the service and over HTTP, interleaved (default 15 pairs, median). The
history is written as rows (task list, file), as years of work leave it; the workflow
itself is the same, so what is measured is everything around the engine.
"""
import argparse
import gc
import http.client
import json
import queue
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _serving import bench_app, free_port, serve_one_worker, start, stop, with_route  # noqa: E402
from monitoring_cycles import INSTITUTION, START, TO_ADMISSION  # noqa: E402
from summary import record  # noqa: E402

from webapp.engine import context_factory_for  # noqa: E402
from webapp.engine.scripting import TonghuScriptEngine  # noqa: E402
from webapp.models import CaseFileEntry, HumanTask, User  # noqa: E402
from webapp.services import accounts, cases, definitions, organisation  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG  # noqa: E402

STOCK = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))

STEPS = TO_ADMISSION + [(INSTITUTION, "admit_child",
                         {"admitted_on": "2026-11-20", "care_plan": "日常照料"})]
PASSWORD = "bench-password"


def served_app(database: str, synchronous: str | None = None):
    """The app as the server process runs it, and a route of this benchmark's own, `/__bench/settle`:
    it waits until the PDFs the last step issued are filed (outside the timed step: rendered on the
    filer's thread, they would otherwise share the CPU with the next one) and answers with the CPU
    the last completion took in its worker thread (`_started`/`_finished`: from the request parsed
    to the answer written) and the process's kept-workflow counts."""
    app = bench_app(database, PDF_FILING="background")  # as `tonghu serve` runs
    if synchronous:
        sqlite_synchronous(app, synchronous)
    filer, kept = app.extensions["tonghu.pdf_filing"], app.extensions["tonghu.engine"].workflows

    def settled() -> dict:
        filer.drain()
        return {"cpu": SERVER_CPU.get(timeout=60), "hits": kept.hits, "misses": kept.misses}

    with_route(app, "/__bench/settle", settled)
    return app


# Handed from the worker thread that answered a completion to the one answering the settle call
# that follows it: the answer reaches the client before `_finished` runs.
SERVER_CPU: queue.SimpleQueue = queue.SimpleQueue()


def _started(worker, req) -> None:
    req.bench_cpu = time.thread_time()


def _finished(worker, req, environ, resp) -> None:
    if req.path.endswith("/complete"):
        SERVER_CPU.put(time.thread_time() - req.bench_cpu)


def sqlite_synchronous(app, setting: str) -> None:
    """What a deployment's SQLite setting would change (the app keeps SQLite's default, FULL)."""
    event.listen(app.extensions["tonghu.sessionmaker"].kw["bind"], "connect",
                 lambda connection, _record: connection.execute(f"PRAGMA synchronous={setting}"))


def serve(database: str, port: int, synchronous: str | None) -> None:
    """The server process (`_serving.serve_one_worker`), its requests' CPU taken by gunicorn's hooks."""
    serve_one_worker(lambda: served_app(database, synchronous), port, pre_request=_started, post_request=_finished)


class Paths:
    def __init__(self, database: Path, synchronous: str | None = None):
        hashed = accounts.hash_password(PASSWORD)
        organisation.hash_password = lambda password: hashed  # nobody needs their own password here
        self.app = bench_app(database, PDF_FILING="background")  # as `tonghu serve` runs
        if synchronous:
            sqlite_synchronous(self.app, synchronous)
        result = self.app.test_cli_runner().invoke(args=["demo-data"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        self.make = self.app.extensions["tonghu.sessionmaker"]
        self.engine = self.app.extensions["tonghu.engine"]
        self.filer = self.app.extensions["tonghu.pdf_filing"]
        self.pdfs = []  # (wall, CPU) seconds of each wait for the PDFs a step issued (filed after its commit)
        port = free_port()
        self.server = start(__file__, [str(database), str(port), synchronous or "FULL"], port,
                            database.with_suffix(".server.log"))
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.tokens = {}
        self.server_cpu = []  # the server's CPU of each timed completion over HTTP
        self.server_kept = (0, 0)  # the server process's kept workflows: hits, misses

    def close(self) -> None:
        stop(self.server)

    def _start(self, start=START) -> int:
        with self.make() as s:
            village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
            case = cases.start_case(s, self.engine, "entrustment_care", "430104001001", start, village,
                                    self.engine.clock.now())
            s.commit()
            return case.id

    children = 0

    def _new_child(self) -> dict:
        """Start data for a child never seen before (a valid resident ID number of its own)."""
        self.children += 1
        base = f"430104{2010 + self.children // 300:04d}0101{self.children % 300:03d}"
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        number = base + "10X98765432"[sum(int(c) * w for c, w in zip(base, weights)) % 11]
        return {**START, "child": {**START["child"], "id_number": number, "birth_date": f"{number[6:10]}-01-01",
                                           "gender": "male" if int(number[16]) % 2 else "female"}}

    def _with_history(self, steps: int, entries: int, http: bool = False) -> int:
        """A case of a new child with `steps` earlier completed tasks and `entries` entries on the file;
        started over HTTP for a step over HTTP (the server then holds its workflow, as for any case it
        moved last)."""
        if http:
            case_id = self._call("POST", "/api/v1/processes/entrustment_care/instances",
                                 {"region": "430104001001", "data": self._new_child()},
                                 self.token("village.430104001001"))["id"]
        else:
            case_id = self._start(self._new_child())
        now = self.engine.clock.now()
        with self.make() as s:
            task = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
            row = {c: getattr(task, c) for c in ("case_id", "process_id", "department", "lane_department", "level",
                                                 "office_region", "case_region", "procedure")}
            if steps:
                s.execute(HumanTask.__table__.insert(), [
                    {**row, "task_guid": f"earlier-{n}", "name": "earlier_step", "title": f"第{n}步",
                     "state": "completed", "created_at": now, "completed_at": now, "data": {"n": n}} for n in range(steps)])
            if entries:
                s.execute(CaseFileEntry.__table__.insert(), [
                    {"child_id": task.case.child_id, "case_id": case_id, "kind": "event", "title": f"记录{n}",
                     "created_at": now} for n in range(entries)])
            s.commit()
        return case_id

    def _settle(self) -> None:
        """Wait, outside the timed step, for the PDFs it issued: rendered after its commit by the
        filer's thread, they would otherwise be counted in the next step's CPU time."""
        started, cpu = time.perf_counter(), time.process_time()
        if self.filer.queue.unfinished_tasks:
            self.filer.drain()
            self.pdfs.append((time.perf_counter() - started, time.process_time() - cpu))

    def first_step(self, case_id: int, http: bool) -> tuple[float, float, float]:
        """Milliseconds (wall, CPU, the server's own CPU) to complete the case's first step, through the
        service (where the last two are the same) or over HTTP."""
        username, name, data = STEPS[0]
        task_id = self._task(case_id, name)
        if http:
            _answer, wall, cpu, server = self._complete_over_http(task_id, username, data)
            return wall * 1000, (cpu + server) * 1000, server * 1000
        with self.make() as s:
            user = s.scalars(select(User).where(User.username == username)).one()
            started, cpu = time.perf_counter(), time.process_time()
            cases.complete_task(s, self.engine, task_id, dict(data), user, self.engine.clock.now())
            s.commit()
            elapsed = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
        self._settle()
        return (*elapsed, elapsed[1])

    def stock(self) -> list[float]:
        """Bare SpiffWorkflow: its own serializer, nothing of Tonghu's but the diagram and scripts."""
        return self.bare(STOCK.deserialize_json, STOCK.serialize_json)

    def _task(self, case_id: int, name: str) -> int:
        with self.make() as s:
            return s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                        HumanTask.state == "open")).one()

    def bare(self, loads=None, dumps=None) -> list[float]:
        with self.make() as s:
            bundle = definitions.bundle_of(definitions.get_latest_or_404(s, "entrustment_care"))
        factory = context_factory_for(self.engine, 0, "430104001001", "entrustment_care")
        dumps = dumps or self.engine.dumps
        blob = dumps(self.engine.start(bundle, "entrustment_care", dict(START), factory).workflow)
        times = []
        for _user, name, data in STEPS:
            started, cpu = time.perf_counter(), time.process_time()
            if loads is None:
                workflow = self.engine.loads(blob, factory)
            else:
                workflow = loads(blob)
                workflow.script_engine = TonghuScriptEngine(factory)
            guid = next(t.guid for t in self.engine.ready_tasks(workflow) if t.name == name)
            # the engine alone: the care institution's name as the service copies it from the chosen unit
            self.engine.complete(workflow, guid, {**data, "institution_name": "长沙市儿童福利院"}
                                 if name == "choose_institution" else dict(data))
            blob = dumps(workflow)
            times.append((time.perf_counter() - started, time.process_time() - cpu))
        return times

    def service(self) -> list[float]:
        case_id = self._start()
        times = []
        for username, name, data in STEPS:
            task_id = self._task(case_id, name)
            with self.make() as s:
                user = s.scalars(select(User).where(User.username == username)).one()
                started, cpu = time.perf_counter(), time.process_time()
                cases.complete_task(s, self.engine, task_id, dict(data), user, self.engine.clock.now())
                s.commit()
                times.append((time.perf_counter() - started, time.process_time() - cpu))
            self._settle()
        return times

    def _call(self, method, path, body, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http.request(method, path, json.dumps(body), headers)
        response = self.http.getresponse()
        payload = response.read()
        if response.status not in (200, 201):
            raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload)

    def _complete_over_http(self, task_id: int, username: str, data: dict) -> tuple[dict, float, float, float]:
        """The answer and seconds (wall, this process's CPU: the client's, the server's CPU) of one
        completion; then, untimed, the server files its PDFs and says what the completion cost it."""
        token = self.token(username)
        started, cpu = time.perf_counter(), time.process_time()
        answer = self._call("POST", f"/api/v1/tasks/{task_id}/complete", {"data": data}, token)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        settled = self._call("POST", "/__bench/settle", {})
        self.server_kept = (settled["hits"], settled["misses"])
        return answer, wall, cpu, settled["cpu"]

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = self._call("POST", "/api/v1/auth/token",
                                               {"username": username, "password": PASSWORD})["token"]
        return self.tokens[username]

    def over_http(self) -> list[float]:
        """A case started over HTTP (the server process holds its workflow, as it would have
        started it), then its steps."""
        answer = self._call("POST", "/api/v1/processes/entrustment_care/instances",
                            {"region": "430104001001", "data": self._new_child()}, self.token("village.430104001001"))
        times = []
        for username, name, data in STEPS:
            task_id = next(t["id"] for t in answer["open_tasks"] if t["name"] == name)
            answer, wall, cpu, server = self._complete_over_http(task_id, username, data)
            times.append((wall, cpu + server))  # the client's CPU and the server's
            self.server_cpu.append(server)
        return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions of each path (median taken)")
    parser.add_argument("--pairs", type=int, default=15, help="fresh/old case pairs for the history comparison")
    parser.add_argument("--smoke", action="store_true", help="one repetition, two pairs, small history: does it run")
    parser.add_argument("--synchronous", choices=["NORMAL", "OFF"],
                        help="run with this SQLite synchronous setting instead of the default FULL (a what-if)")
    parser.add_argument("--serve", nargs=3, metavar=("DATABASE", "PORT", "SYNCHRONOUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), None if args.serve[2] == "FULL" else args.serve[2])
        return 0
    repeat, pairs = (1, 2) if args.smoke else (args.repeat, args.pairs)
    steps, entries = (20, 40) if args.smoke else (500, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp) / "floor.sqlite", args.synchronous)
        runs = {"stock": [], "bare": [], "service": [], "http": []}
        cpu = {key: [] for key in runs}
        paths.stock(), paths.bare(), paths.service(), paths.over_http()  # warm up: parse, caches, connections
        paths.pdfs.clear()
        gc.freeze()  # as the server's workers do once their app is built (webapp/serving.py); every path alike
        server_cpu = []
        for _ in range(repeat):  # interleaved, so drift on a shared machine hits all alike
            for key, path in (("stock", paths.stock), ("bare", paths.bare), ("service", paths.service),
                              ("http", paths.over_http)):
                paths.server_cpu.clear()
                times = path()
                runs[key].append(statistics.mean(wall for wall, _cpu in times) * 1000)
                cpu[key].append(statistics.mean(used for _wall, used in times) * 1000)
                if key == "http":
                    server_cpu.append(statistics.mean(paths.server_cpu) * 1000)
        flat = {key: [] for key in ("service fresh", "service old", "http fresh", "http old")}
        for _ in range(pairs):
            for over_http in (False, True):
                kind = "http" if over_http else "service"
                fresh, old = paths._with_history(0, 0, over_http), paths._with_history(steps, entries, over_http)
                flat[f"{kind} fresh"].append(paths.first_step(fresh, over_http))
                flat[f"{kind} old"].append(paths.first_step(old, over_http))
        paths.close()
        paths.make.kw["bind"].dispose()
    stock, floor = statistics.median(runs["stock"]), statistics.median(runs["bare"])
    stock_cpu = statistics.median(cpu["stock"])
    labels = {"stock": "bare SpiffWorkflow: deserialize → run → engine steps → serialize",
              "bare": "the same with Tonghu's serializer (specs restored once, same JSON)",
              "service": "cases.complete_task + commit on SQLite",
              "http": "POST /api/v1/tasks/{id}/complete over HTTP"}
    print(f"entrustment_care from start to admission, {len(STEPS)} completions per case, "
          f"median of {repeat} interleaved repetitions; SQLite synchronous={args.synchronous or 'FULL (default)'}")
    print("wall: elapsed time (with waiting for the disk's fsync and for the CPU); CPU: this process's CPU time, "
          "over HTTP with the server's")
    print(f"{'path':66} {'wall ms':>8} {'× bare':>7} {'× floor':>8} {'CPU ms':>7} {'× bare':>7}")
    bounds = {"service": 1.5, "http": 2.5}
    for key, label in labels.items():
        median, used = statistics.median(runs[key]), statistics.median(cpu[key])
        print(f"{label:66} {median:8.1f} {median / stock:6.1f}× {median / floor:7.1f}× {used:7.1f} {used / stock_cpu:6.1f}×")
        if key in bounds:
            bound = bounds[key]
            record("engine_floor", f"{key} ms per completion (wall)", median, "ms")
            record("engine_floor", f"{key} × bare engine (wall)", median / stock, "×", f"≤ {bound}", median / stock <= bound)
            record("engine_floor", f"{key} × bare engine (CPU)", used / stock_cpu, "×", f"≤ {bound}", used / stock_cpu <= bound)
    used = statistics.median(server_cpu)
    print(f"{'  the server alone (its worker thread: request parsed → answer written)':66} {'':8} {'':7} {'':8} "
          f"{used:7.1f} {used / stock_cpu:6.1f}×")
    print("  (the HTTP row's CPU is the server's and this benchmark's client's: encoding the request, parsing the answer)")
    record("engine_floor", "http × bare engine (server CPU)", used / stock_cpu, "×", "≤ 2.5",
           used / stock_cpu <= 2.5)
    kept, (hits, misses) = paths.engine.workflows, paths.server_kept
    print(f"workflows taken from the process's cache instead of deserialized (webapp/engine/checkout.py): service "
          f"{kept.hits} of {kept.hits + kept.misses} steps, server {hits} of {hits + misses}")
    if paths.pdfs:
        print(f"not in the rows above: the documents' PDFs, rendered after the issuing step's commit by the filer's "
              f"thread (webapp/pdf_filing.py): {len(paths.pdfs)} waits, median "
              f"{statistics.median(w for w, _c in paths.pdfs) * 1000:.1f} ms wall, "
              f"{statistics.median(c for _w, c in paths.pdfs) * 1000:.1f} ms CPU")
    print()
    print(f"flat with history: first step of a fresh case and child vs a case with {steps} earlier steps "
          f"and {entries} file entries, median of {pairs} interleaved pairs")
    print(f"{'path':40} {'fresh ms':>9} {'old ms':>9} {'ratio':>6} {'CPU fresh':>10} {'CPU old':>8} {'ratio':>6}"
          f" {'server CPU':>11} {'ratio':>6}")
    for kind in ("service", "http"):
        fresh, old = (statistics.median(w for w, _c, _s in flat[f"{kind} {age}"]) for age in ("fresh", "old"))
        fresh_cpu, old_cpu = (statistics.median(c for _w, c, _s in flat[f"{kind} {age}"]) for age in ("fresh", "old"))
        fresh_srv, old_srv = (statistics.median(v for _w, _c, v in flat[f"{kind} {age}"]) for age in ("fresh", "old"))
        print(f"{labels[kind][:40]:40} {fresh:9.1f} {old:9.1f} {old / fresh:5.2f}× {fresh_cpu:10.1f} {old_cpu:8.1f} "
              f"{old_cpu / fresh_cpu:5.2f}× {fresh_srv:5.1f}/{old_srv:5.1f} {old_srv / fresh_srv:5.2f}×")
        if kind == "http":
            record("engine_floor", f"http: {steps} steps and {entries} entries vs fresh (server CPU)",
                   old_srv / fresh_srv, "×", "≤ 1.2", old_srv / fresh_srv <= 1.2)
        record("engine_floor", f"{kind}: {steps} steps and {entries} entries vs fresh", old / fresh, "×", "≤ 1.2",
               old / fresh <= 1.2)
        record("engine_floor", f"{kind}: {steps} steps and {entries} entries vs fresh (CPU)", old_cpu / fresh_cpu, "×",
               "≤ 1.2", old_cpu / fresh_cpu <= 1.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
