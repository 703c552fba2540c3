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
ORDER: dict[str, int] = {}  # jobs run by ascending order, then in the order they were registered


def job(name: str, order: int = 0):
    """Register a job; `order` > 0 runs it after the others (e.g. escalation, which must see
    the tasks the other jobs just opened)."""
    def register(fn: Job) -> Job:
        JOBS[name] = fn
        ORDER[name] = order
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
    for name in sorted(JOBS, key=lambda n: ORDER.get(n, 0)):
        results[name] = JOBS[name](session, engine, now)
    return results
