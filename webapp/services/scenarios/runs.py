"""Replay runs as rows: what was replayed (the procedure's drafts or its deployed version, by
checksum), per scenario passed / failed, and whether a deploy of that content needs confirmation."""
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Draft, ScenarioRun, User
from .. import definitions
from . import runner
from ..errors import Conflict, NotFound

STALE_AFTER_SECONDS = 900  # a run still "running" this long after its start died with its process
MAX_RUNNING = 3  # replays running (or queued) on the server at once: each may take a core for minutes


def draft_changes(session: Session, process_id: str) -> dict[str, str]:
    """The saved drafts of the procedure's own BPMN files: {filename: xml} (empty: none)."""
    definition = definitions.get_latest_or_404(session, process_id)
    names = [f for f in definition.files if f.endswith(".bpmn")]
    return {d.name: d.content for d in session.scalars(select(Draft).where(Draft.kind == "bpmn", Draft.name.in_(names)))}


def content_of(changes: dict[str, str]) -> str:
    """The checksum naming what a run replayed ("" for the deployed version as it is)."""
    if not changes:
        return ""
    return hashlib.sha256(json.dumps(changes, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def start(session: Session, process_id: str, changes: dict[str, str], user: User | None, now) -> ScenarioRun:
    """A new run row; refused while the procedure's last replay runs, or `MAX_RUNNING` replays do
    (every click would otherwise queue one more background replay)."""
    live = [r for r in session.scalars(select(ScenarioRun).where(ScenarioRun.status == "running"))
            if (now - r.started_at).total_seconds() <= STALE_AFTER_SECONDS]
    if any(r.process_id == process_id for r in live):
        raise Conflict("该流程的场景正在回放，请等本次回放结束后再试")
    if len(live) >= MAX_RUNNING:
        raise Conflict(f"服务器上已有 {MAX_RUNNING} 次场景回放正在进行，请稍后再试")
    run = ScenarioRun(process_id=process_id, target="draft" if changes else "deployed", content=content_of(changes),
                      status="running", total=0, failed=0, results=[], started_by_id=user.id if user else None,
                      started_at=now)
    session.add(run)
    session.flush()
    return run


def finish(session: Session, run_id: int, results: list[dict], now, error: str | None = None) -> ScenarioRun:
    run = session.get(ScenarioRun, run_id)
    run.results = results
    run.total = len(results)
    run.failed = sum(1 for r in results if r["status"] in (runner.FAILED, runner.TIMEOUT))
    run.status = "error" if error else ("failed" if run.failed else "passed")
    run.error = error
    run.finished_at = now
    return run


def get(session: Session, run_id: int, now=None) -> ScenarioRun:
    run = session.get(ScenarioRun, run_id)
    if run is None:
        raise NotFound("没有这次回放")
    if now is not None and run.status == "running" and (now - run.started_at).total_seconds() > STALE_AFTER_SECONDS:
        run.status, run.error, run.finished_at = "error", "回放中断（服务进程已停止），请重新回放", now
    return run


def recent(session: Session, process_id: str, limit: int = 10) -> list[ScenarioRun]:
    return list(session.scalars(select(ScenarioRun).where(ScenarioRun.process_id == process_id)
                                .order_by(ScenarioRun.id.desc()).limit(limit)))


def failing_run_for(session: Session, process_id: str, changes: dict[str, str]) -> ScenarioRun | None:
    """The latest finished replay of exactly this content, when its scenarios did not all pass."""
    content = content_of(changes)
    run = session.scalars(select(ScenarioRun).where(
        ScenarioRun.process_id == process_id, ScenarioRun.content == content,
        ScenarioRun.status.in_(("passed", "failed", "error"))).order_by(ScenarioRun.id.desc()).limit(1)).first()
    return run if run is not None and run.status != "passed" else None
