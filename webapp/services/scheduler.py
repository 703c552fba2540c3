"""Time-driven work: timers inside cases, and jobs that start or nudge cases on dates.

`run_due_work` is the one entry point for the CLI (`tonghu timers fire`), the background
worker and the scenarios' "time passes" steps, so all of them fire work the same way.
A job is `fn(session, engine, now) -> int` (how many cases it touched) registered with
`@job`; it must be idempotent: running it twice at the same moment does nothing twice.
"""
import importlib
from typing import Callable

from sqlalchemy.orm import Session

from ..engine import Engine
from . import cases

Job = Callable[[Session, Engine, object], int]
JOBS: dict[str, Job] = {}


def job(name: str):
    def register(fn: Job) -> Job:
        JOBS[name] = fn
        return fn
    return register


# Modules holding `@job`s, imported on first run (they import this module for `job`).
JOB_MODULES = ("monitoring", "deadlines", "resettlement")


def _load_jobs() -> None:
    for name in JOB_MODULES:
        importlib.import_module(f"{__package__}.{name}")


def run_due_work(session: Session, engine: Engine, now) -> dict[str, int]:
    _load_jobs()
    results = {"timers": cases.fire_due_timers(session, engine, now)}
    for name, fn in JOBS.items():
        results[name] = fn(session, engine, now)
    return results
