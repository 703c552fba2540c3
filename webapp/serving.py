"""Long-lived processes: the web app under gunicorn, and the scheduler loop (`tonghu worker`).

Both check before they start (`preflight`): the schema is at the newest migration, and in
production the secret is set and no demo account is left. `create_app` itself starts
nothing: no thread, no compile, no schema change.
"""
import gc
import logging
import signal
import threading
import time

from gunicorn.app.base import BaseApplication

from . import readiness, worker
from .logs import scheduler_log

log = logging.getLogger(__name__)

# One line per request, path without the query string (a search may carry a child's name).
ACCESS_LOG_FORMAT = ('{"event": "access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
                     '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s}')


class StartRefused(Exception):
    """The process must not start; the message lists why."""


def preflight(app) -> None:
    """Refuse to start on an old schema, or in production with a default secret or demo accounts."""
    factory = app.extensions["tonghu.sessionmaker"]
    engine = factory.kw["bind"]
    try:
        problem = readiness.schema_problem(engine)
        problems = [problem] if problem else []
        if not problems:
            with factory() as session:
                problems = readiness.refusals(app.config, session)
    finally:
        engine.dispose()  # the checking connection is not carried into forked workers
    if problems:
        raise StartRefused("；".join(problems) + f"（TONGHU_ENV={app.config['ENV']}）")


class WebServer(BaseApplication):
    """gunicorn with Tonghu's app factory: each worker process builds its own app."""

    def __init__(self, factory, options: dict):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 24: one per machine otherwise
            self.cfg.set("control_socket_disable", True)

    def load(self):
        app = self.factory()
        # The app's start-up objects (parsed specs, templates, mappers) leave the collector's
        # generations: a full collection no longer walks them, which cost a request 100–170 ms
        # every so often (bench/task_lists.py: the child's file p95).
        gc.freeze()
        return app


def serve(app_factory, bind: str, workers: int, access_log: str | None, timeout: int = 60, threads: int = 1) -> None:
    """Run gunicorn until SIGTERM/SIGINT; SIGTERM lets requests in flight finish (graceful_timeout).

    With `threads` > 1 each worker is gunicorn's `gthread`: while one request waits for the
    database (a round trip, a commit's fsync, a case's lock) another runs, so a worker per core
    keeps its core busy; Python runs one thread at a time, so more processes than cores only queue.
    """
    WebServer(app_factory, {
        "bind": bind, "workers": workers, "worker_class": "gthread" if threads > 1 else "sync", "threads": threads,
        "timeout": timeout,
        "graceful_timeout": 30, "accesslog": access_log, "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-", "proc_name": "tonghu", "preload_app": False,
    }).run()


class SchedulerLoop:
    """`worker.run_once` at start and every `interval` seconds until told to stop.

    Two loops on one database are safe: each run claims the scheduler lease first, so one
    works while the other finds it held and waits for the next turn (and takes over when
    the holder dies and its lease runs out).
    """

    def __init__(self, factory, engine, interval: float):
        self.factory, self.engine, self.interval = factory, engine, interval
        self.holder = worker.holder_name()
        self.stopping = threading.Event()
        self.runs = 0

    def stop(self, *_signal) -> None:
        self.stopping.set()

    def run_one(self) -> dict | None:
        started = time.perf_counter()
        try:
            result = worker.run_once(self.factory, self.engine, self.holder)
        except Exception:  # keep the loop alive; the cause is in the log
            log.exception("scheduler run failed")
            result = {"error": "exception"}
        self.runs += 1
        scheduler_log.info("scheduler run", extra={
            "event": "scheduler_run", "holder": self.holder, "ran": result is not None,
            "result": result, "ms": round((time.perf_counter() - started) * 1000, 1)})
        return result

    def run_forever(self, max_runs: int | None = None) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        scheduler_log.info("worker started", extra={"event": "worker_started", "holder": self.holder,
                                                    "interval": self.interval})
        while not self.stopping.is_set():
            self.run_one()
            if max_runs is not None and self.runs >= max_runs:
                break
            self.stopping.wait(self.interval)
        scheduler_log.info("worker stopped", extra={"event": "worker_stopped", "holder": self.holder,
                                                    "runs": self.runs})
