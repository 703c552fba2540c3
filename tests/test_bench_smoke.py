"""The benchmarks of bench/ still run (CI runs their smoke mode; the figures are not judged here)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(script: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


@pytest.mark.slow
def test_engine_floor_runs():
    out = run("engine_floor.py")
    assert "bare SpiffWorkflow" in out and "over HTTP" in out and "×" in out
    assert "flat with history" in out and "earlier steps" in out


@pytest.mark.slow
def test_memory_runs():
    out = run("memory.py")
    assert "low MiB" in out and "high MiB" in out and "spread of the lows" in out


@pytest.mark.slow
def test_task_lists_runs():
    out = run("task_lists.py")
    assert "county GET /api/v1/tasks" in out and "child file web" in out
    assert "USING COVERING INDEX ix_human_tasks_office_due" in out  # the list is read from the index alone


@pytest.mark.slow
@pytest.mark.postgres
def test_http_throughput_runs():
    out = run("http_throughput.py")
    assert "per second" in out and "postgres: 4 workers / 1 worker" in out and "sqlite: 4 workers / 1 worker" in out


@pytest.mark.slow
@pytest.mark.postgres
def test_task_lists_runs_on_postgres():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "task_lists.py"), "--smoke", "--postgres"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "PostgreSQL: human_tasks" in done.stdout and "county GET /api/v1/overdue" in done.stdout
    assert "query plans (PostgreSQL" in done.stdout and "on human_tasks" in done.stdout


def test_roster_runs():
    out = run("roster.py")
    assert "open March" in out and "open April (the second month)" in out
    assert "county GET /api/v1/roster" in out and "child search: county, inside the name" in out and "child's file" in out


@pytest.mark.slow
def test_run_all_prints_the_summary_table():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), "--smoke", "--only", "engine_floor"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    summary = done.stdout.split("=== summary (issue 13)", 1)[1]
    assert "service × bare engine (CPU)" in summary and "http × bare engine (CPU)" in summary and "≤ 2.5" in summary
    assert "bounds met" in summary and "engine_floor" in summary.split("load average", 1)[1]


@pytest.mark.slow
def test_school_checks_runs():
    out = run("school_checks.py")
    assert "open the 2027—2028 school year's checks" in out and "overdue watch" in out
