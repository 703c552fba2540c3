#!/usr/bin/env python3
"""Benchmark: does one server process's resident memory stay flat over many completions (issue 13.5)?

Starts the server as `tonghu serve` runs it (gunicorn, one `gthread` worker, on a fresh SQLite
database with the demo organisation), then drives entrustment cases through it over HTTP as the offices would:
`POST /api/v1/processes/entrustment_care/instances` for a new child, then its 11 completions
to admission, case after case, until the number of completions or the time budget runs
out (whichever first; the output says which). The server's RSS (/proc/PID/status) is read
every 20 ms; after a warm-up (parsing, caches, first connections, a full cache of kept workflows)
the run is cut into intervals, each keeping its lowest and highest reading (between PDF renders
and during one), and the table shows both against the first interval's.

    .venv/bin/python bench/memory.py                         # 10 000 completions or 180 s
    .venv/bin/python bench/memory.py --completions 2000 --seconds 600
    .venv/bin/python bench/memory.py --smoke                 # a few cases, for CI: it must run
"""
import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _serving import bench_app, free_port, serve_one_worker, start, stop, with_route  # noqa: E402
from summary import record  # noqa: E402

PASSWORD = "bench-password"


def serve(database: str, port: int) -> None:
    """The server: gunicorn with one `gthread` worker (`_serving.serve_one_worker`); `GET /__bench/pid`
    (this benchmark's own) names the worker whose memory is read."""
    import os

    def app():
        built = bench_app(database, PDF_FILING="background")  # as `tonghu serve` runs: PDFs on the filer's thread
        with_route(built, "/__bench/pid", os.getpid)
        return built

    serve_one_worker(app, port)


def prepare(database: Path) -> None:
    """The demo organisation, every account with the bench password (hashed once)."""
    from webapp.services import accounts, organisation
    hashed = accounts.hash_password(PASSWORD)
    organisation.hash_password = lambda password: hashed
    app = bench_app(database)
    result = app.test_cli_runner().invoke(args=["demo-data"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit("no VmRSS in /proc (Linux only)")


class Sampler(threading.Thread):
    """Reads the server's RSS every `EVERY` seconds: a reading at one moment falls inside or outside a
    PDF's rendering on the filer's thread (tens of MiB apart), so each interval keeps its lowest and
    highest reading, and flat means neither drifts."""
    EVERY = 0.02

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.readings, self.lock, self.stopped = pid, [], threading.Lock(), threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.EVERY):
            rss = rss_kib(self.pid)
            with self.lock:
                self.readings.append(rss)

    def interval(self) -> tuple[int, int, int]:
        """The lowest and highest reading since the last call, and how many readings (one taken now)."""
        rss = rss_kib(self.pid)
        with self.lock:
            readings, self.readings = self.readings + [rss], []
        return min(readings), max(readings), len(readings)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class Client:
    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.tokens: dict[str, str] = {}
        self.children = 0

    def call(self, method: str, path: str, body, token: str | None = None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            self.connection.request(method, path, json.dumps(body), headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):  # the server closed the connection: open another
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, json.dumps(body), headers)
            response = self.connection.getresponse()
        payload = response.read()
        if response.status not in (200, 201):
            raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload)

    def worker_pid(self) -> int:
        """The gunicorn worker's process id (its master only forks and watches it)."""
        return self.call("GET", "/__bench/pid", None)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = self.call("POST", "/api/v1/auth/token",
                                              {"username": username, "password": PASSWORD})["token"]
        return self.tokens[username]

    def new_child(self, start: dict) -> dict:
        """Start data for a child not seen before (a valid resident ID number of its own)."""
        self.children += 1
        base = f"430104{2010 + self.children // 1000 % 15}0101{self.children % 1000:03d}"
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        number = base + "10X98765432"[sum(int(c) * w for c, w in zip(base, weights)) % 11]
        return {**start, "child": {**start["child"], "id_number": number, "birth_date": f"{number[6:10]}-01-01",
                                   "gender": "male" if int(number[16]) % 2 else "female"}}

    def one_case(self, start: dict, steps) -> int:
        """Open a case for a new child and take it to admission; returns the completions made."""
        answer = self.call("POST", "/api/v1/processes/entrustment_care/instances",
                           {"region": "430104001001", "data": self.new_child(start)}, self.token("village.430104001001"))
        for username, name, data in steps:
            task = next(t for t in answer["open_tasks"] if t["name"] == name)
            answer = self.call("POST", f"/api/v1/tasks/{task['id']}/complete", {"data": data}, self.token(username))
        return len(steps)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--completions", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=180, help="time budget for the completions")
    parser.add_argument("--samples", type=int, default=10, help="intervals after the warm-up")
    parser.add_argument("--smoke", action="store_true", help="a few cases: does it run")
    parser.add_argument("--serve", nargs=2, metavar=("DATABASE", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    from engine_floor import STEPS, START
    # The warm-up fills what a process keeps by design: parsed specs, connections, and the workflows kept
    # between a case's steps (webapp/engine/checkout.py: DEFAULT_SIZE cases, each case here one at a
    # time), so what grows after it is what a leak would.
    from webapp.engine.checkout import DEFAULT_SIZE
    full_run_warm_up = 220 + len(STEPS) * DEFAULT_SIZE
    completions, seconds, warm_up = (44, 120, 22) if args.smoke else (args.completions, args.seconds,
                                                                      full_run_warm_up)
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "memory.sqlite"
        prepare(database)
        port = free_port()
        server = start(__file__, [str(database), str(port)], port, Path(tmp) / "server.log")
        try:
            client = Client(port)
            done = 0
            while done < warm_up:
                done += client.one_case(START, STEPS)
            sampler = Sampler(client.worker_pid())
            sampler.start()
            every = max(len(STEPS), (completions - done) // args.samples)
            started, rows, next_sample = time.perf_counter(), [], done + every
            sampler.interval()  # the readings start after the warm-up
            while done < completions and time.perf_counter() - started < seconds:
                done += client.one_case(START, STEPS)
                if done >= next_sample:
                    rows.append((done, time.perf_counter() - started, *sampler.interval()))
                    next_sample += every
            if not rows or rows[-1][0] != done:
                rows.append((done, time.perf_counter() - started, *sampler.interval()))
            sampler.stop()
        finally:
            stop(server)
    elapsed = rows[-1][1]
    stopped = "all completions made" if done >= completions else f"time budget of {seconds:.0f} s reached"
    print(f"one server process (gunicorn's gthread worker, SQLite), entrustment cases to admission over HTTP: "
          f"{done} completions ({stopped}); {done / elapsed if elapsed else 0:.0f} completions/s after the warm-up")
    # The first interval after the warm-up is the reference: its lowest reading is what the process keeps
    # between renders, its highest the same with a PDF being laid out on the filer's thread (WeasyPrint's
    # working memory, given back when the page is done: readings at single moments fall on either side).
    low0, high0 = rows[0][2], rows[0][3]
    print(f"RSS read every {Sampler.EVERY * 1000:.0f} ms; lowest and highest reading in each interval")
    print(f"{'completions':>12} {'seconds':>8} {'low MiB':>8} {'vs first':>9} {'high MiB':>9} {'vs first':>9}")
    for count, at, low, high, _ in rows:
        print(f"{count:12} {at:8.1f} {low / 1024:8.1f} {(low - low0) / low0 * 100:+8.1f}% "
              f"{high / 1024:9.1f} {(high - high0) / high0 * 100:+8.1f}%")
    lows, highs = [r[2] for r in rows], [r[3] for r in rows]
    low_spread = (max(lows) - min(lows)) / low0 * 100
    high_spread = (max(highs) - min(highs)) / high0 * 100
    print(f"readings: {sum(r[4] for r in rows)}; spread of the lows over the run {low_spread:.1f}% of the first "
          f"interval's, of the highs {high_spread:.1f}% (flat means within ±10 %)")
    spread = max(low_spread, high_spread)
    record("memory", f"RSS spread over {done} completions (lows and highs)", spread, "%",
           "≤ ±10 % (10 000 completions)", spread <= 10 and done >= 10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
