#!/usr/bin/env python3
"""Benchmark: task completions per second over HTTP, `tonghu serve` with 1 and with 4 gunicorn
workers, 8 concurrent clients, on PostgreSQL (a throwaway cluster) and on SQLite.

Each configuration gets a fresh copy of the demo database (`tonghu demo-data` once per
backend: a copied SQLite file, a PostgreSQL database made from a template), its own server,
and its own cases: the village starts them through the API (untimed), a few completions warm
every worker up (untimed), then the clients complete the home investigations, each
completion a real `POST /api/v1/tasks/{id}/complete` that runs the workflow, saves it and
opens the next step. Printed: completions, seconds, completions per second, median and 95th
percentile latency, answers other than 200, then the ratio 4 workers / 1 worker per backend.

    .venv/bin/python bench/http_throughput.py            # 160 completions per configuration (~2 min)
    .venv/bin/python bench/http_throughput.py --smoke    # a handful, to see that it runs
    .venv/bin/python bench/http_throughput.py --backends sqlite --workers 1,2,4 --completions 400
    .venv/bin/python bench/http_throughput.py --workers 1,4,2x4    # 2x4: 2 workers of 4 threads (gthread)

A configuration `N` is N sync workers (one request at a time each), `NxT` N workers of T threads.
"""
import argparse
import itertools
import os
import queue
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summary import record  # noqa: E402
from tests import nodes  # noqa: E402
from tests.pg_cluster import throwaway_cluster  # noqa: E402

VILLAGE, TOWNSHIP = "village.430104001001", "township.430104001000"
START = {"category": "de_facto_unsupported", "reason": "父母外出务工，祖母年迈多病，无力照料", "discovered_by": "monthly_contact"}
HOME_INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈",
                      "income": "低保", "living_conditions": "祖孙同住"}


def in_parallel(clients: int, items: list, call) -> list:
    """`call(item)` for every item from `clients` threads; the results in the items' order."""
    results: list = [None] * len(items)
    work: queue.Queue = queue.Queue()
    for index in range(len(items)):
        work.put(index)

    def client():
        while True:
            try:
                index = work.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = call(items[index])
            except OSError as err:  # a refused or dropped connection counts as a failure
                results[index] = (0, {"error": repr(err)}, 0.0)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def measure(env: dict, log: Path, workers: int, clients: int, completions: int, warmup: int, serials,
            threads: int = 1) -> dict:
    """One configuration: a server with `workers` of `threads`, its cases prepared, the completions timed."""
    server = nodes.Server({**env, "TONGHU_WEB_THREADS": str(threads)}, log, workers)
    try:
        api = nodes.Api(server)

        def start(_item):
            status, body = api.post(server, VILLAGE, "/processes/entrustment_care/instances",
                                    {"region": "430104001001", "data": {**START, "child": nodes.child(next(serials))}})
            if status != 201:
                raise RuntimeError(f"could not start a case: {status} {body}")
            return body["open_tasks"][0]["id"]

        def complete(task_id):
            began = time.perf_counter()
            status, body = api.post(server, TOWNSHIP, f"/tasks/{task_id}/complete", {"data": HOME_INVESTIGATION})
            return status, body, time.perf_counter() - began

        api.token(TOWNSHIP)
        tasks = in_parallel(clients, list(range(warmup + completions)), start)
        in_parallel(clients, tasks[:warmup], complete)
        began = time.perf_counter()
        answers = in_parallel(clients, tasks[warmup:], complete)
        seconds = time.perf_counter() - began
    finally:
        server.stop()
    done = [ms for status, _body, ms in answers if status == 200]
    failed = [(status, body) for status, body, _ms in answers if status != 200]
    latencies = sorted(ms * 1000 for ms in done) or [0.0]
    return {"completions": len(done), "seconds": seconds, "per_second": len(done) / seconds,
            "p50": statistics.median(latencies), "p95": latencies[int(0.95 * (len(latencies) - 1))],
            "failed": len(failed), "first_failure": failed[0] if failed else None}


def configurations(text: str) -> list[tuple[int, int]]:
    """"1,4,2x4" -> [(1, 1), (4, 1), (2, 4)]: (workers, threads per worker)."""
    return [(int(w), int(t or 1)) for w, _x, t in (part.strip().partition("x") for part in text.split(","))]


def label(workers: int, threads: int) -> str:
    return str(workers) if threads == 1 else f"{workers}x{threads}"


def sqlite_databases(folder: Path, counts: list[tuple[int, int]]):
    template = folder / "template.sqlite"
    nodes.tonghu(nodes.environment(f"sqlite:///{template}"), "demo-data")
    for workers, threads in counts:
        copy = folder / f"w{label(workers, threads)}.sqlite"
        shutil.copyfile(template, copy)
        yield (workers, threads), f"sqlite:///{copy}"


def postgres_databases(url: str, counts: list[tuple[int, int]]):
    from sqlalchemy import create_engine, text
    nodes.tonghu(nodes.environment(url), "demo-data")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    base, _slash, template = url.rpartition("/")
    for workers, threads in counts:
        name = f"bench_w{workers}_t{threads}"
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
        yield (workers, threads), f"{base}/{name}"
    admin.dispose()


def run(args) -> dict:
    counts = configurations(args.workers)
    figures: dict = {}
    serials = itertools.count()
    with tempfile.TemporaryDirectory(prefix="tonghu-bench-") as tmp, ExitStack() as clusters:
        folder = Path(tmp)
        os.chmod(folder, 0o755)
        for backend in args.backends.split(","):
            print(f"preparing {backend} ...", file=sys.stderr, flush=True)
            if backend == "sqlite":
                databases = sqlite_databases(folder, counts)
            elif backend == "postgres":
                (folder / "pg").mkdir()
                databases = postgres_databases(clusters.enter_context(throwaway_cluster(folder / "pg")), counts)
            else:
                raise SystemExit(f"unknown backend {backend!r} (sqlite, postgres)")
            for (workers, threads), url in databases:
                name = label(workers, threads)
                print(f"  {backend}, {name} worker(s) ...", file=sys.stderr, flush=True)
                figures[(backend, name)] = measure(nodes.environment(url), folder / f"{backend}-w{name}.log", workers,
                                                   args.clients, args.completions, args.warmup, serials, threads)
    return figures


def report(figures: dict, clients: int) -> None:
    print(f"HTTP completions, {clients} concurrent clients, {os.cpu_count()} CPU cores")
    print(f"{'backend':>9} {'workers':>7} {'completions':>11} {'seconds':>8} {'per second':>10} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'failed':>6}")
    for (backend, workers), f in figures.items():
        print(f"{backend:>9} {workers:>7} {f['completions']:>11} {f['seconds']:>8.1f} {f['per_second']:>10.1f} "
              f"{f['p50']:>8.0f} {f['p95']:>8.0f} {f['failed']:>6}")
    for backend in dict.fromkeys(b for b, _w in figures):
        counts = sorted(int(w) for b, w in figures if b == backend and "x" not in w)  # sync workers only
        if len(counts) > 1 and figures[(backend, str(counts[0]))]["per_second"]:
            low, high = figures[(backend, str(counts[0]))], figures[(backend, str(counts[-1]))]
            print(f"{backend}: {counts[-1]} workers / {counts[0]} worker = {high['per_second'] / low['per_second']:.2f}")
    for (backend, workers), f in figures.items():
        target = "≥ 60 (gunicorn, PostgreSQL)" if backend == "postgres" else ""
        record("http_throughput", f"{backend}, {workers} worker(s), {clients} clients: completions/s", f["per_second"],
               "/s", target, f["per_second"] >= 60 if target else None)
        record("http_throughput", f"{backend}, {workers} worker(s): p95 latency", f["p95"], "ms")
    for key, f in figures.items():
        if f["first_failure"]:
            print(f"{key[0]} {key[1]}: first failure {f['first_failure']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny run: 8 completions per configuration")
    parser.add_argument("--completions", type=int, default=160, help="timed completions per configuration")
    parser.add_argument("--warmup", type=int, default=16, help="untimed completions first")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", default="1,4,2x4",
                        help="gunicorn configurations: N sync workers, NxT workers of T threads, e.g. 1,4,2x4")
    parser.add_argument("--backends", default="postgres,sqlite", help="postgres, sqlite or both")
    args = parser.parse_args(argv)
    if args.smoke:
        args.completions, args.warmup = 8, 4
    figures = run(args)
    report(figures, args.clients)
    return 0 if all(f["completions"] for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
