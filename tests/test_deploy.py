"""Running for years: production checks at start-up, gunicorn, the worker process, probes, logs, config."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from tests.test_timers import deploy_fixture, start_report
from webapp import cli, create_app, worker
from webapp.config import ConfigError
from webapp.engine import Clock
from webapp.i18n import TRANSLATIONS
from webapp.models import SchedulerLease, User, WaitingTimer

TONGHU = str(Path(sys.executable).parent / "tonghu")
STRONG = "f" * 16 + "0123456789abcdef0123456789abcdef"


@pytest.fixture
def database(tmp_path, demo_database):
    path = tmp_path / "deploy.sqlite"
    shutil.copyfile(demo_database, path)
    return f"sqlite:///{path}"


def invoke(monkeypatch, database, args, **env):
    monkeypatch.setenv("DATABASE_URL", database)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(cli.main, args)


def test_production_refuses_a_missing_or_default_secret_and_demo_accounts(monkeypatch, database):
    monkeypatch.delenv("TONGHU_SECRET_KEY", raising=False)
    bare = invoke(monkeypatch, database, ["worker", "--once"], TONGHU_ENV="production")
    assert bare.exit_code != 0 and "拒绝启动" in bare.output and "未设置 SECRET_KEY" in bare.output
    assert "演示账号" in bare.output
    default = invoke(monkeypatch, database, ["serve", "--dev"], TONGHU_ENV="production", TONGHU_SECRET_KEY="changeme")
    assert default.exit_code != 0 and "默认值或太短" in default.output
    demo_left = invoke(monkeypatch, database, ["worker", "--once"], TONGHU_ENV="production", TONGHU_SECRET_KEY=STRONG)
    assert demo_left.exit_code != 0 and "演示账号" in demo_left.output and "未设置" not in demo_left.output
    app = create_app({"DATABASE_URL": database})
    with app.extensions["tonghu.sessionmaker"]() as s:  # the administrator retires the demo accounts
        s.execute(update(User).values(active=False))
        s.commit()
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    ok = invoke(monkeypatch, database, ["worker", "--once"], TONGHU_ENV="production", TONGHU_SECRET_KEY=STRONG)
    assert ok.exit_code == 0, ok.output
    assert "调度进程已停止（共运行 1 次）" in ok.output
    demo = invoke(monkeypatch, database, ["worker", "--once"], TONGHU_ENV="demo", TONGHU_SECRET_KEY="")
    assert demo.exit_code == 0, demo.output


def test_serve_and_worker_refuse_a_database_that_is_not_migrated(monkeypatch, tmp_path):
    result = invoke(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}", ["worker", "--once"], TONGHU_ENV="demo")
    assert result.exit_code != 0 and "请先运行 tonghu db upgrade" in result.output


def test_config_file_then_environment(monkeypatch, tmp_path):
    toml = tmp_path / "tonghu.toml"
    toml.write_text(f'secret_key = "{STRONG}"\nlog_level = "warning"\ntimer_interval = 15\nenv = "production"\n',
                    encoding="utf-8")
    monkeypatch.setenv("TONGHU_CONFIG", str(toml))
    monkeypatch.delenv("TONGHU_SECRET_KEY", raising=False)
    monkeypatch.setenv("TONGHU_ENV", "demo")  # the environment wins over the file
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite'}"})
    assert (app.config["SECRET_KEY"], app.config["LOG_LEVEL"], app.config["TIMER_INTERVAL"], app.config["ENV"]) == \
        (STRONG, "WARNING", 15.0, "demo")
    toml.write_text('secret_key = "unterminated\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="不是有效的 TOML"):
        create_app({"TESTING": True})
    monkeypatch.delenv("TONGHU_CONFIG")
    monkeypatch.setenv("TONGHU_ENV", "staging")
    with pytest.raises(ConfigError, match="TONGHU_ENV 只能是"):
        create_app({"TESTING": True})
    bad = CliRunner().invoke(cli.main, ["worker", "--once"])
    assert bad.exit_code != 0 and "拒绝启动：TONGHU_ENV 只能是" in bad.output


def test_create_app_starts_no_thread_and_writes_nothing(tmp_path):
    catalogs = {p: p.stat().st_mtime_ns for p in TRANSLATIONS.rglob("*.mo")}
    threads = set(threading.enumerate())
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'n.sqlite'}", "SECRET_KEY": "x"})
    assert set(threading.enumerate()) - threads == set() and "tonghu.worker" not in app.extensions
    assert {p: p.stat().st_mtime_ns for p in TRANSLATIONS.rglob("*.mo")} == catalogs and catalogs


def test_each_app_keeps_its_own_clock_for_the_engines_timers(app, clock):
    deploy_fixture(app)
    clock.advance(timedelta(days=30))
    create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "x", "CLOCK": Clock()})
    case_id = start_report(app)  # after another app with real time was built in this process
    with app.extensions["tonghu.sessionmaker"]() as s:
        fire_at = min(s.scalars(select(WaitingTimer.fire_at).where(WaitingTimer.case_id == case_id)))
    assert fire_at > datetime.now(timezone.utc) + timedelta(days=29)  # counted from this app's clock


def test_health_and_readiness(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    never = client.get("/readyz")
    assert never.status_code == 503 and never.get_json()["checks"] == {
        "database": "ok", "migrations": "ok", "worker": "never ran"}
    factory = app.extensions["tonghu.sessionmaker"]
    assert worker.run_once(factory, app.extensions["tonghu.engine"]) is not None
    assert client.get("/readyz").get_json() == {"status": "ready", "checks": {
        "database": "ok", "migrations": "ok", "worker": "ok"}}
    with factory() as s:  # the worker stopped three intervals ago
        s.get(SchedulerLease, "scheduler").last_run_at -= timedelta(seconds=3 * app.config["TIMER_INTERVAL"])
        s.commit()
    stale = client.get("/readyz")
    assert stale.status_code == 503 and stale.get_json()["checks"]["worker"].startswith("last run 1")


# -- real processes --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(args, database, tmp_path, name, **env):
    environment = {**os.environ, "DATABASE_URL": database, "TONGHU_ENV": "test", "TONGHU_SECRET_KEY": STRONG, **env}
    err = open(tmp_path / f"{name}.log", "w+")
    return subprocess.Popen([TONGHU, *args], env=environment, stdout=err, stderr=subprocess.STDOUT, text=True), err


def wait_http(url, seconds=30):
    """The Server header of the first answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.headers["Server"]
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.slow
def test_serve_is_gunicorn_logs_without_queries_and_stops_on_sigterm(database, tmp_path):
    port = free_port()
    server, err = spawn(["serve", "--workers", "2", "--bind", f"127.0.0.1:{port}"], database, tmp_path, "serve")
    try:
        assert wait_http(f"http://127.0.0.1:{port}/healthz").startswith("gunicorn")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login?q=%E5%B0%8F%E6%98%8E", timeout=5) as page:
            assert page.status == 200
        assert server.poll() is None
        time.sleep(0.3)
        server.send_signal(signal.SIGTERM)
        assert server.wait(20) == 0
    finally:
        if server.poll() is None:
            server.kill()
    err.seek(0)
    log = err.read()
    err.close()
    assert '"event": "request"' in log and '"path": "/login"' in log and '"event": "access"' in log
    assert "小明" not in log and "%E5%B0%8F" not in log and "q=" not in log
    assert "Shutting down" in log or "Handling signal: term" in log


@pytest.mark.slow
def test_two_workers_share_the_lease_and_stop_on_sigterm(database, tmp_path):
    workers = [spawn(["worker", "--interval", "0.3"], database, tmp_path, f"w{i}") for i in range(2)]
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not all(
                (tmp_path / f"w{i}.log").read_text().count('"scheduler_run"') >= 3 for i in range(2)):
            time.sleep(0.3)
        for process, _err in workers:
            assert process.poll() is None
            process.send_signal(signal.SIGTERM)
        assert [process.wait(20) for process, _err in workers] == [0, 0]
    finally:
        for process, _err in workers:
            if process.poll() is None:
                process.kill()
    runs = []
    for _process, err in workers:
        err.seek(0)
        lines = err.readlines()
        assert any("调度进程已停止" in line for line in lines), lines[-3:]
        runs.append(sum('"ran": true' in line for line in lines))
        err.close()
    assert sum(runs) >= 4, runs  # the work went on ...
    app = create_app({"TESTING": True, "DATABASE_URL": database})
    lease = worker.last_run(app.extensions["tonghu.sessionmaker"])
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    assert lease.holder is None and lease.last_run_at > datetime.now(timezone.utc) - timedelta(seconds=30)
