"""Replays off the web worker: a background thread replays a procedure's scenarios on throwaway
SQLite files (the demo organisation, every procedure with the draft's changes, a fresh test clock
per scenario) and writes the outcome to the run's row. Bounded: one replay at a time per process,
a time limit checked between steps, and long `@slow` scenarios left to `make test`.

This module owns the transactions of the run row and of its throwaway databases, as a CLI
command does; the rules are the services' (`services/scenarios/`).
"""
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from . import demo, schema
from .engine import Clock, Engine
from .engine import clock as clock_module
from .services import definitions
from .services.scenarios import Story, runner, runs
from .services.scenarios.features import Feature

REPLAY_SECONDS = 300
_TEMPLATE_LOCK = threading.Lock()
_ONE_AT_A_TIME = threading.Lock()
_template: Path | None = None


@dataclass
class Replay:
    run_id: int
    files: dict[str, str]
    forms: dict[str, dict]
    features: list[Feature]
    known_variables: set[str] = field(default_factory=set)
    settings: object = None
    living: object = None
    seconds: float = REPLAY_SECONDS
    variants: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (prefix, a variant's files)


def replay_files(session, changes: dict[str, str]) -> dict[str, str]:
    """Every deployed procedure's newest national files, with the draft's changes on top."""
    files: dict[str, str] = {}
    for definition in definitions.latest_all(session):
        files.update(definition.files)
    files.update(changes)
    return files


def variant_files(session) -> list[tuple[str, dict[str, str]]]:
    """Every procedure's deployed regional variants (prefix, files), replayed as deployed: a Shanghai
    child's scenario runs on Shanghai's version, as it would in production."""
    from .services import variants
    return [(variant.prefix, variant.definition.files) for definition in definitions.latest_all(session)
            for variant in variants.variants(session, definition.process_id) if variant.prefix]


def _factory(path: Path) -> sessionmaker:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
    return sessionmaker(engine, expire_on_commit=False)


def organisation_template(now) -> Path:
    """The demo organisation on the newest schema, built once per process (passwords hash slowly)."""
    global _template
    with _TEMPLATE_LOCK:
        if _template is None or not _template.exists():
            path = Path(tempfile.mkdtemp(prefix="tonghu-scenarios-")) / "organisation.sqlite"
            factory = _factory(path)
            schema.upgrade(factory.kw["bind"])
            with factory() as session:
                demo.load(session, now)
                session.commit()
            factory.kw["bind"].dispose()
            _template = path
        return _template


def _engine_for(replay: Replay) -> Engine:
    """A fresh test clock for one scenario; the process's own clock stays the one installed."""
    previous = clock_module.active()
    engine = Engine(Clock(), replay.settings, replay.living)
    clock_module.install(previous)
    return engine


def _scenario(base: Path, directory: Path, index: int, replay: Replay, feature, scenario, deadline) -> dict:
    path = directory / f"scenario-{index}.sqlite"
    shutil.copyfile(base, path)
    factory = _factory(path)
    engine = _engine_for(replay)
    try:
        with engine.clock.running():
            return runner.run(lambda: Story(factory, engine), feature, scenario, deadline).as_dict()
    finally:
        factory.kw["bind"].dispose()
        path.unlink(missing_ok=True)


def run(replay: Replay, real: sessionmaker, now) -> None:
    """Replay every scenario and record the outcome (never raises: a failure is the run's error)."""
    results, error = [], None
    directory = Path(tempfile.mkdtemp(prefix="tonghu-replay-"))
    try:
        with _ONE_AT_A_TIME:
            deadline = time.monotonic() + replay.seconds
            base = directory / "draft.sqlite"
            shutil.copyfile(organisation_template(now()), base)
            factory = _factory(base)
            try:
                with factory() as session:
                    definitions.deploy(session, replay.files, replay.forms, now(), note="场景回放",
                                       known_variables=replay.known_variables)
                    for prefix, files in replay.variants:
                        definitions.deploy(session, files, replay.forms, now(), note="场景回放",
                                           known_variables=replay.known_variables, region_prefix=prefix)
                    session.commit()
            finally:
                factory.kw["bind"].dispose()
            index = 0
            for feature in replay.features:
                for scenario in feature.scenarios:
                    index += 1
                    if scenario.slow:
                        results.append(runner.Outcome(scenario.name, scenario.line, "skipped", source=feature.source,
                                                      reason="标记为 @slow 的长场景不在浏览器中回放，由 make test 运行").as_dict())
                        continue
                    results.append(_scenario(base, directory, index, replay, feature, scenario, deadline))
    except definitions.DeployRefused as err:
        error = "草稿未通过校验，无法回放：" + "；".join(str(p) for p in err.problems)
    except Exception as err:  # the run's row says what broke; the web worker carries on
        error = f"回放出错：{type(err).__name__}：{err}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    with real() as session:
        runs.finish(session, replay.run_id, results, now(), error)
        session.commit()


def start(replay: Replay, real: sessionmaker, now) -> threading.Thread:
    """Replay in a daemon thread; the page polls the run's row."""
    thread = threading.Thread(target=run, args=(replay, real, now), name=f"scenario-replay-{replay.run_id}", daemon=True)
    thread.start()
    return thread
