"""Time-driven work: timers inside cases, and jobs that start or nudge cases on dates.

`run_due_work` is the one entry point for the CLI (`tonghu timers fire`), the background
worker and the scenarios' "time passes" steps, so all of them fire work the same way.
A job is `fn(session, engine, now) -> int` (how many cases it touched), listed in `JOBS`;
it must be idempotent: running it twice at the same moment does nothing twice.
"""
import logging
from typing import Callable

from sqlalchemy.orm import Session

from ..engine import Engine
from .cases import design_errors
from .errors import DesignError
from . import adulthood, cases, deadlines, living, locking, login, monitoring, resettlement, roster, school_checks

log = logging.getLogger(__name__)

Job = Callable[[Session, Engine, object], int]
# The jobs, in the order they run: escalation last, so it sees the tasks the others just opened
# (a missed visit is overdue at once).
JOBS: dict[str, Job] = {
    "monitoring": monitoring.start_due_visits,
    "resettlement_starts": resettlement.start_due_resettlements,
    "living_payments": living.open_due_payments,
    # The roster (services/roster): the daily sweep, the two-yearly reassessment, the half-yearly file
    # check, then its overdue watch.
    "roster": roster.open_roster,
    "reassessment": roster.open_reassessments,
    "file_checks": roster.open_file_checks,
    "roster_escalation": roster.escalate_roster,
    # The school's yearly mental-health check (shanghai （十二）): light tasks per pupil and school year, then
    # their overdue watch (services/school_checks).
    "school_checks": school_checks.open_school_checks,
    "school_check_escalation": school_checks.escalate_school_checks,
    "adulthood_closures": adulthood.close_at_adulthood,  # revocation, restoration and psych cases end at 18
    "escalation": deadlines.escalate_overdue,
    "login_throttles": lambda session, engine, now: login.forget_stale(session, now),  # stale failed-login counters
}


def run_due_work(session: Session, engine: Engine, now) -> dict:
    """Fire due timers, then run every job; `{"timers": n, job: n, …}` plus, when something
    failed, `"failures": {"case:12" | "job:monitoring": reason}`.

    One failure never stops the run: a case that fails to fire is rolled back to its own
    SAVEPOINT and put in `error` (see `cases.fire_due_timers`); a job that raises is rolled
    back to its SAVEPOINT, reported, and the next job runs. On SQLite the run is the one
    writer from its start (`locking.begin_write`), so user requests wait for it rather than fail.
    """
    locking.begin_write(session)
    failures: dict[str, str] = {}
    results: dict = {"timers": cases.fire_due_timers(session, engine, now, failures)}
    for name in JOBS:
        try:
            with session.begin_nested():
                results[name] = JOBS[name](session, engine, now)
        except Exception as err:  # noqa: BLE001 - contained to this job, reported with the run
            results[name] = 0
            failures[f"job:{name}"] = cases.describe_failure(err)
            if isinstance(err, DesignError):  # for administrators and designers, once however often it recurs
                err.audit["during"] = f"定时任务 {name}"
                design_errors.record(session, err, now, once=True)
            log.error("scheduler job %s failed: %s", name, failures[f"job:{name}"])
    if failures:
        results["failures"] = failures
    return results
