#!/usr/bin/env python3
"""Every benchmark of bench/ in its full version, one after the other, then one table of the
figures issue 13 asks for (`make bench`; about an hour on a quiet 2-core machine, most of it
building the million-row database once and copying it into PostgreSQL).

    .venv/bin/python bench/run_all.py                 # everything, full size
    .venv/bin/python bench/run_all.py --only engine_floor,memory
    .venv/bin/python bench/run_all.py --smoke         # each in its smoke mode: does the chain run

Each benchmark's own output goes to the console as it runs (and to `instance/bench/run_all.log`);
the figures come back through `bench/summary.py`. The load average and a speed probe before and after each
benchmark is printed with the table: on a shared machine wall times say little, the ratios
measured interleaved within one benchmark and the CPU columns more.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, script and arguments of the full version, of the smoke version); PostgreSQL ones need initdb.
BENCHES = [
    ("engine_floor", ["engine_floor.py"], ["engine_floor.py", "--smoke"]),
    ("task_lists", ["task_lists.py"], ["task_lists.py", "--smoke"]),
    ("task_lists_pg", ["task_lists.py", "--postgres"], ["task_lists.py", "--postgres", "--smoke"]),
    ("http_throughput", ["http_throughput.py", "--workers", "1,2,4"], ["http_throughput.py", "--smoke"]),
    ("memory", ["memory.py", "--completions", "10000", "--seconds", "1800"], ["memory.py", "--smoke"]),
    ("monitoring_cycles", ["monitoring_cycles.py"], ["monitoring_cycles.py", "--cycles", "6", "--window", "1"]),
    ("roster", ["roster.py", "--postgres"], ["roster.py", "--smoke"]),
]


def _load() -> str:
    """The load average and a speed probe: the shared host's speed drifts by up to twice within a
    minute, which the load average does not show; the probe (the best of five runs of a fixed
    pure-Python loop, in ms: lower is faster) says how fast the machine was as a benchmark began."""
    best = min(_probe() for _ in range(5))
    return "/".join(f"{x:.1f}" for x in os.getloadavg()) + f", speed probe {best * 1000:.0f} ms"


def _probe() -> float:
    started = time.perf_counter()
    sum(i * i for i in range(1_000_000))
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="each benchmark in its --smoke mode")
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(b[0] for b in BENCHES))
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHES if not args.only or b[0] in args.only.split(",")]
    log_path = ROOT / "instance" / "bench" / "run_all.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    failed, loads = [], {}
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as figures_file, \
            open(log_path, "w", encoding="utf-8") as log:
        env = {**os.environ, "TONGHU_BENCH_SUMMARY": figures_file.name}
        for name, full, smoke in chosen:
            command = smoke if args.smoke else full
            before, started = _load(), time.perf_counter()
            header = f"\n=== {name}: {' '.join(command)} (load {before})"
            print(header, flush=True)
            log.write(header + "\n")
            with subprocess.Popen([sys.executable, str(ROOT / "bench" / command[0]), *command[1:]], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as run:
                for line in run.stdout:
                    if '"logger": "tonghu.request"' in line:
                        continue  # the app's request log, one line a request
                    sys.stdout.write(line)
                    log.write(line)
            loads[name] = f"{before} → {_load()}, {time.perf_counter() - started:.0f} s"
            if run.returncode != 0:
                failed.append(name)
        rows = [json.loads(line) for line in figures_file if line.strip()]
    os.unlink(figures_file.name)
    print("\n=== summary (issue 13)" + (" — SMOKE RUN: sizes too small to judge" if args.smoke else ""))
    print(f"{'benchmark':18} {'figure':70} {'value':>10} {'target':>26} {'met':>4}")
    for row in rows:
        met = {True: "yes", False: "NO", None: ""}[row["met"]]
        if row["unit"] == "index-backed":
            value = "index" if row["value"] else "scan/sort"
        else:
            value = f"{row['value']:.1f}{row['unit'] if row['unit'] in ('×', '%') else ''}"
        print(f"{row['bench']:18} {row['figure'][:70]:70} {value:>10} {row['target'][:26]:>26} {met:>4}")
    judged = [r for r in rows if r["met"] is not None]
    print(f"\n{sum(r['met'] for r in judged)} of {len(judged)} bounds met; load average (1/5/15 min) and speed probe per benchmark:")
    for name, load in loads.items():
        print(f"  {name:18} {load}")
    if failed:
        print("did not run to the end: " + ", ".join(failed))
    print(f"full output: {log_path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
