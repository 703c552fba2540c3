"""The background timer worker: runs `scheduler.run_due_work` now and then, once per database.

One daemon thread per app process (started by `create_app` when `TIMER_WORKER` is on, and
by `tonghu serve`). It runs at once when it starts, so whatever fell due while the app was
down fires at the next start, then every `TIMER_INTERVAL` seconds (default 60).

Several processes on one database: each run first claims the `scheduler` lease with one
conditional UPDATE (free, expired, or already ours) committed on its own; a process that
does not get it skips the run. The lease is short (`LEASE_SECONDS`, 60 s) and a heartbeat
thread renews it every `LEASE_SECONDS / 3` while the run works, so it is held only by a
live process: after `kill -9` it lapses within a minute, and at once for a process on the
same host, which sees that the holder's pid is gone. The work itself is idempotent and
guarded row by row (case locks, optimistic versions on cases and plans, unique (plan,
cycle), conditional escalation marks), so even two runs that overlapped would fire each
timer once.

`tonghu timers fire --as-of` goes through `run_once` too.
"""
import errno
import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from .engine import Engine
from .models import SchedulerLease
from .services.errors import ServiceError
from .services.scheduler import run_due_work

log = logging.getLogger(__name__)

LEASE = "scheduler"
DEFAULT_INTERVAL = 60.0
LEASE_SECONDS = 60  # renewed by the heartbeat while the run works


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _holder_is_dead(holder: str | None) -> bool:
    """True when `holder` names a process on this host that no longer exists."""
    host, _sep, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host's process: only the expiry tells
    try:
        os.kill(int(pid), 0)
    except OSError as err:
        return err.errno == errno.ESRCH
    return False


def _wall_now() -> datetime:
    return datetime.now(timezone.utc)


def claim_lease(factory: sessionmaker, holder: str, seconds: int = LEASE_SECONDS) -> bool:
    """Take the scheduler lease if it is free, expired or ours; True when we hold it."""
    now = _wall_now()
    with factory() as session:
        if session.get(SchedulerLease, LEASE) is None:
            session.add(SchedulerLease(name=LEASE))
            try:
                session.commit()
            except IntegrityError:  # another process created it at the same moment
                session.rollback()
        result = session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == LEASE,
                   (SchedulerLease.holder.is_(None)) | (SchedulerLease.holder == holder)
                   | (SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=now + timedelta(seconds=seconds)))
        session.commit()
        if result.rowcount == 1:
            return True
        current = session.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == LEASE))
        if not _holder_is_dead(current):
            return False
        log.warning("scheduler lease held by %s, a process that is gone: taking it over", current)
        result = session.execute(  # only if that dead holder still has it (two takers: one wins)
            update(SchedulerLease).where(SchedulerLease.name == LEASE, SchedulerLease.holder == current)
            .values(holder=holder, expires_at=now + timedelta(seconds=seconds)))
        session.commit()
        return result.rowcount == 1


class _Heartbeat(threading.Thread):
    """Renews the lease every `seconds / 3` until stopped, so only a live run holds it."""

    def __init__(self, factory: sessionmaker, holder: str, seconds: int = LEASE_SECONDS):
        super().__init__(name="tonghu-lease-heartbeat", daemon=True)
        self.factory, self.holder, self.seconds = factory, holder, seconds
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.seconds / 3):
            try:
                with self.factory() as session:
                    session.execute(
                        update(SchedulerLease).where(SchedulerLease.name == LEASE, SchedulerLease.holder == self.holder)
                        .values(expires_at=_wall_now() + timedelta(seconds=self.seconds)))
                    session.commit()
            except OperationalError as err:  # SQLite: our own run holds the writer lock; it is alive anyway
                log.info("lease heartbeat skipped: %s", str(err).splitlines()[0])

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)


def release_lease(factory: sessionmaker, holder: str, result: dict | None) -> None:
    with factory() as session:
        session.execute(
            update(SchedulerLease).where(SchedulerLease.name == LEASE, SchedulerLease.holder == holder)
            .values(holder=None, expires_at=None, last_run_at=_wall_now(), last_result=result))
        session.commit()


def run_once(factory: sessionmaker, engine: Engine, holder: str | None = None, now: datetime | None = None) -> dict | None:
    """One scheduler run under the lease: the results per job, or None when another process holds it.

    A run that loses a race on a row (someone saved the same case meanwhile) is rolled back
    whole and reported as `{"retry": ...}`; the next run picks the work up again.
    """
    holder = holder or holder_name()
    if not claim_lease(factory, holder):
        return None
    result: dict | None = None
    heartbeat = _Heartbeat(factory, holder)
    heartbeat.start()
    try:
        with factory() as session:
            try:
                result = run_due_work(session, engine, now or engine.clock.now())
                session.commit()
            except (StaleDataError, IntegrityError, OperationalError) as err:
                session.rollback()
                result = {"retry": f"{type(err).__name__}: {err}".splitlines()[0]}
                log.warning("timer run rolled back, will retry: %s", result["retry"])
            except ServiceError as err:
                session.rollback()
                result = {"error": err.message}
                log.error("timer run failed: %s", err.message)
    finally:
        heartbeat.stop()
        release_lease(factory, holder, result)
    return result


class TimerWorker(threading.Thread):
    """A daemon thread calling `run_once` at start and every `interval` seconds until stopped."""

    def __init__(self, factory: sessionmaker, engine: Engine, interval: float = DEFAULT_INTERVAL):
        super().__init__(name="tonghu-timer-worker", daemon=True)
        self.factory = factory
        self.engine = engine
        self.interval = interval
        self.holder = holder_name()
        self.runs = 0
        self.last_result: dict | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.last_result = run_once(self.factory, self.engine, self.holder)
            except Exception:  # keep the thread alive; the error is in the log with its cause
                log.exception("timer worker run failed")
            self.runs += 1
            self._stop_event.wait(self.interval)

    def stop(self, timeout: float | None = 10) -> None:
        self._stop_event.set()
        self.join(timeout)


def start(app) -> TimerWorker:
    """Start the app's worker (once per app); `TIMER_INTERVAL` seconds between runs."""
    worker = app.extensions.get("tonghu.worker")
    if worker is not None and worker.is_alive():
        return worker
    interval = float(app.config.get("TIMER_INTERVAL") or os.environ.get("TONGHU_TIMER_INTERVAL") or DEFAULT_INTERVAL)
    worker = TimerWorker(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"], interval)
    app.extensions["tonghu.worker"] = worker
    worker.start()
    return worker


def last_run(factory: sessionmaker) -> SchedulerLease | None:
    with factory() as session:
        return session.scalars(select(SchedulerLease).where(SchedulerLease.name == LEASE)).first()
