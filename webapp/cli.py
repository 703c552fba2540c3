"""The `tonghu` command: demo data, serve, worker, deploy, check, timers, db. All honour DATABASE_URL."""
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import db


def _session():
    return current_app.extensions["tonghu.sessionmaker"]()


def _engine():
    return current_app.extensions["tonghu.engine"]


def _require_schema():
    """The commands that read or write cases run on a migrated database only."""
    from .readiness import schema_problem
    problem = schema_problem(current_app.extensions["tonghu.sessionmaker"].kw["bind"])
    if problem:
        raise click.ClickException(problem)


def _read_processes(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.iterdir()
                                                 if p.suffix in (".bpmn", ".dmn") or p.name.endswith(".bpmn20.xml"))
    if not files:
        raise click.ClickException(f"{path} 中没有 BPMN/DMN 文件")
    try:
        return {p.name: p.read_text(encoding="utf-8") for p in files}
    except (UnicodeDecodeError, OSError) as err:
        raise click.ClickException(f"无法读取文件（需要 UTF-8 编码的 BPMN/DMN）：{err}") from None


def _forms():
    from .services.forms import load_forms
    return load_forms(current_app.config["FORMS_DIR"])


@click.command("check")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def check_command(path):
    """Validate BPMN/DMN files without deploying them."""
    from .services.checks import check_report
    from .services.variants import shipped
    files, forms = _read_processes(path), _forms()
    reports = [("", check_report(files, forms))]
    if path.is_dir():  # and each shipped regional variant laid over the national files
        reports += [(f"地区版本 {prefix}：", check_report({**files, **changes}, forms))
                    for prefix, changes in shipped(path).items()]
    problems = [(label, p) for label, report in reports for p in report.problems]
    for label, report in reports:
        for warning in report.warnings:
            click.echo(f"提示 {label}{warning}", err=True)
    for label, problem in problems:
        click.echo(f"错误 {label}{problem}", err=True)
    if problems:
        raise click.ClickException(f"发现 {len(problems)} 个问题，未通过校验")
    click.echo("校验通过")


@click.command("deploy")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--region", "region_prefix", default="", help="deploy as the regional variant of this province/city prefix (e.g. 31)")
@with_appcontext
def deploy_command(path, region_prefix):
    """Validate and deploy BPMN/DMN files as new versions (national, or a region's variant)."""
    from .services import variants
    from .services.definitions import DeployRefused, deploy
    from .services.errors import Invalid
    _require_schema()
    with _session() as session:
        try:
            files, now = _read_processes(path), _engine().clock.now()
            if region_prefix:  # the files laid over the national ones; only the procedures they touch
                base = variants.national_files(session, _read_processes(current_app.config["PROCESSES_DIR"]))
                deployed = variants.deploy_variant(session, region_prefix, files, base, _forms(), now)
            else:
                deployed = deploy(session, files, _forms(), now)
        except Invalid as err:
            raise click.ClickException("；".join(err.errors.values())) from None
        except DeployRefused as err:
            for problem in err.problems:
                click.echo(f"错误 {problem}", err=True)
            raise click.ClickException("校验未通过，未部署") from None
        session.commit()
        for d in deployed:
            click.echo(f"已部署 {d.process_id} 第 {d.version} 版" + (f"（{d.region_prefix} 地区版本）" if d.region_prefix else ""))
        if not deployed:
            click.echo("没有变化，无需部署")


@click.group("scenarios")
def scenarios_group():
    """Scenarios written in the browser."""


@scenarios_group.command("export")
@click.option("--to", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="where to write <process_id>.saved.feature (default: features/ beside processes/)")
@with_appcontext
def scenarios_export_command(directory):
    """Write the scenarios saved in the browser as .feature files, so that `make test` runs them."""
    from .config import ROOT
    from .services.scenarios import saved
    _require_schema()
    directory = directory or Path(current_app.config.get("FEATURES_DIR") or ROOT / "features")
    directory.mkdir(parents=True, exist_ok=True)
    with _session() as session:
        written = saved.export(session, directory)
    for path in written:
        click.echo(f"已导出 {path}")
    if not written:
        click.echo("没有在浏览器中保存的场景")


@click.command("demo-data")
@with_appcontext
def demo_data_command():
    """Migrate the schema to the newest version, load the demo organisation, deploy processes/ and its
    shipped regional variants (processes/variants/<prefix>/) (idempotent)."""
    from . import demo
    from .services import variants
    from .services.definitions import DeployRefused, deploy
    from .services.errors import Invalid
    from .services.forms import load_forms
    factory = current_app.extensions["tonghu.sessionmaker"]
    db.upgrade_schema(factory)
    with factory() as session:
        now = _engine().clock.now()
        accounts = demo.load(session, now)
        files = _read_processes(current_app.config["PROCESSES_DIR"])
        forms = load_forms(current_app.config["FORMS_DIR"])
        try:
            deployed = deploy(session, files, forms, now, note="demo-data")
            deployed += variants.deploy_shipped(session, current_app.config["PROCESSES_DIR"], forms, now,
                                                note="demo-data")
        except Invalid as err:
            raise click.ClickException("；".join(err.errors.values())) from None
        except DeployRefused as err:
            raise click.ClickException("校验未通过，未部署：" + "；".join(str(p) for p in err.problems)) from None
        session.commit()
    for d in deployed:
        click.echo(f"已部署 {d.process_id} 第 {d.version} 版" + (f"（{d.region_prefix} 地区版本）" if d.region_prefix else ""))
    click.echo(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
    for username, office in accounts:
        click.echo(f"  {username:40s} {office}")


def _app_or_refuse(check: bool = True):
    """The configured app, after the start-up checks of `serving.preflight` (bad config: a clear refusal)."""
    from . import create_app, serving
    from .config import ConfigError
    try:
        app = create_app()
        if check:
            serving.preflight(app)
    except (ConfigError, serving.StartRefused) as err:
        raise click.ClickException(f"拒绝启动：{err}") from None
    return app


@click.command("serve")
@click.option("--bind", help="address:port or unix:/path (default 127.0.0.1:PORT)")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), envvar="TONGHU_WEB_WORKERS",
              help="gunicorn worker processes (about one per core)")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), envvar="TONGHU_WEB_THREADS",
              help="threads per worker: requests that wait for the database let another run (1: sync workers)")
@click.option("--access-log", default="-", show_default=True, help="file for the access log ('-': stderr, '' : none)")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead of gunicorn (never in production)")
def serve_command(bind, host, port, workers, threads, access_log, dev):
    """Serve the web app with gunicorn (SIGTERM: finish requests in flight, then stop).

    The scheduler is a process of its own: run `tonghu worker` beside it.
    """
    app = _app_or_refuse()
    bind = bind or f"{host}:{port}"
    if dev:
        host, _, port = bind.rpartition(":")
        click.echo(f"童护 Tonghu（开发服务器）已启动：http://{bind}")
        from .security import QuietRequestHandler
        app.extensions["tonghu.pdf_filing"].mode = "background"  # as gunicorn's workers below
        app.run(host=host or "127.0.0.1", port=int(port), debug=False, use_reloader=False,
                request_handler=QuietRequestHandler)
        return
    from . import create_app, serving
    click.echo(f"童护 Tonghu 已启动：{bind}（gunicorn，{workers} 个工作进程，每个 {threads} 个线程）")
    # A served request answers before its documents' PDFs are rendered (webapp/pdf_filing.py).
    serving.serve(lambda: create_app({"PDF_FILING": "background"}), bind, workers, access_log or None, threads=threads)


@click.command("worker")
@click.option("--interval", type=click.FloatRange(min=0.05), help="seconds between runs (default TONGHU_TIMER_INTERVAL or 60)")
@click.option("--once", is_flag=True, help="one run, then exit")
def worker_command(interval, once):
    """Fire due timers, deadlines, escalations, visits and resettlement starts, every interval, until SIGTERM.

    Safe to run on several machines: a run first takes the scheduler lease, the others wait.
    """
    from . import serving
    app = _app_or_refuse()
    loop = serving.SchedulerLoop(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"],
                                 interval or app.config["TIMER_INTERVAL"])
    click.echo(f"童护调度进程已启动（每 {loop.interval:g} 秒检查一次，{loop.holder}）")
    loop.run_forever(max_runs=1 if once else None)
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    click.echo(f"调度进程已停止（共运行 {loop.runs} 次）")


@click.group("timers")
def timers_group():
    """Timers and deadlines."""


@timers_group.command("fire")
@click.option("--as-of", "as_of", required=True,
              help="ISO 8601 moment, e.g. 2027-06-01T00:00:00+08:00 (without an offset: China time)")
@with_appcontext
def timers_fire_command(as_of):
    """Fire every timer, visit and deadline due at that moment (idempotent; once across processes)."""
    try:
        moment = datetime.fromisoformat(as_of)
    except ValueError:
        raise click.ClickException(f"无法识别的时间：{as_of}（请用 ISO 8601，如 2027-06-01T00:00:00+08:00）") from None
    from . import worker
    from .engine.clock import LOCAL_TZ
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    engine = _engine()
    engine.clock.travel_to(moment)
    if engine.clock.now() > moment + timedelta(seconds=5):
        click.echo(f"注意：{as_of} 已经过去，时间不会倒退，按当前时间 {engine.clock.now():%Y-%m-%d %H:%M} UTC 触发", err=True)
    _require_schema()
    factory = current_app.extensions["tonghu.sessionmaker"]
    results = worker.run_once(factory, engine, now=engine.clock.now())
    if results is None:
        raise click.ClickException("另一个进程正在处理到期工作（调度租约被占用），请稍后重试")
    if "error" in results or "retry" in results:
        raise click.ClickException(f"本次未完成，已回滚：{results.get('error') or results.get('retry')}")
    click.echo(f"已触发 {results['timers']} 个案件的到期定时器")
    labels = {"monitoring": "启动定期走访", "escalation": "逾期升级"}
    for name, count in results.items():
        if name != "timers":
            click.echo(f"  {labels.get(name, name)}: {count}")


@timers_group.command("status")
@with_appcontext
def timers_status_command():
    """What is waiting: timers, recurring visits, overdue tasks, and the scheduler's last run."""
    from sqlalchemy import func, select

    from . import worker
    from .models import HumanTask, MonitoringPlan, WaitingTimer
    _require_schema()
    factory = current_app.extensions["tonghu.sessionmaker"]
    now = _engine().clock.now()
    with factory() as session:
        timers = session.execute(select(func.count(), func.min(WaitingTimer.fire_at))).one()
        due = session.scalar(select(func.count()).select_from(WaitingTimer).where(WaitingTimer.fire_at <= now))
        plans = session.scalar(select(func.count()).select_from(MonitoringPlan).where(MonitoringPlan.status == "active"))
        overdue = session.scalar(select(func.count()).select_from(HumanTask).where(
            HumanTask.state == "open", HumanTask.due < now))
        from .services import repair
        failing = [(c.id, c.definition.name, c.error_message) for c in repair.failing_cases(session, 20)]
        failing_count = repair.count_failing(session)
    lease = worker.last_run(factory)
    click.echo(f"现在：{now:%Y-%m-%d %H:%M} UTC")
    click.echo(f"等待中的定时器：{timers[0]} 个（已到期 {due} 个；最早 {timers[1] or '—'}）")
    click.echo(f"进行中的定期走访计划：{plans} 个")
    click.echo(f"逾期未办的任务：{overdue} 个")
    click.echo(f"出错的案件：{failing_count} 个" + ("（管理员可在“出错的案件”页面重试或取消）" if failing_count else ""))
    for case_id, name, reason in failing:
        click.echo(f"  案件 {case_id}（{name}）：{reason}")
    if lease is None or lease.last_run_at is None:
        click.echo("调度程序尚未运行过")
    else:
        click.echo(f"调度程序上次运行：{lease.last_run_at:%Y-%m-%d %H:%M:%S} UTC，结果 {lease.last_result}"
                   + (f"；当前由 {lease.holder} 运行中" if lease.holder else ""))


@click.command("trace")
@click.option("--processes", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="BPMN folder (default: the configured processes/)")
@click.option("--features", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="scenario folder (default: features/ beside processes/)")
@click.option("--steps", type=click.Path(file_okay=False, path_type=Path),
              help="step definitions whose shortcuts name tasks (default: webapp/services/scenarios/steps/)")
@click.option("--format", "fmt", type=click.Choice(["text", "tsv"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="exit non-zero when a user task has no clause or no scenario")
def trace_command(processes, features, steps, fmt, strict):
    """Print clause -> BPMN element(s) or decision table(s) -> scenario(s) for every procedure and
    regional variant (see webapp/services/trace.py)."""
    from .config import ROOT
    from .services import trace
    processes = processes or Path(os.environ.get("TONGHU_PROCESSES_DIR") or ROOT / "processes")
    features = features or processes.parent / "features"
    from .services.scenarios import STEPS_DIR
    steps = steps or STEPS_DIR
    if not features.is_dir():
        raise click.ClickException(f"找不到场景目录 {features}（用 --features 指定）")
    elements = trace.trace(processes, features, steps, tables=True)  # decision tables and regional variants too
    rows = trace.table(elements)
    if fmt == "tsv":
        click.echo("条款\t流程元素\t场景")
        for clause, encoded, scenarios in rows:
            click.echo(f"{clause}\t{'；'.join(encoded)}\t{'；'.join(scenarios)}")
    else:
        for clause, encoded, scenarios in rows:
            click.echo(clause)
            for label in encoded:
                click.echo(f"  元素  {label}")
            for title in scenarios or ["（无场景）"]:
                click.echo(f"  场景  {title}")
    problems = trace.problems(elements)
    tasks = [e for e in elements if e.kind == "userTask"]
    click.echo(f"共 {len(rows)} 条条款、{sum(1 for e in elements if e.clauses)} 个注明依据的元素；"
               f"用户任务 {len(tasks)} 个，问题 {len(problems)} 个", err=fmt == "tsv")
    for problem in problems:
        click.echo(f"问题 {problem}", err=True)
    if strict and problems:
        raise click.ClickException(f"追溯不完整：{len(problems)} 个问题")


from .cli_db import db_group  # noqa: E402 (the `db` group lives beside, one concern per module)

COMMANDS = [check_command, deploy_command, demo_data_command, timers_group, db_group, trace_command, scenarios_group]


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


@click.group()
@click.pass_context
def main(ctx):
    """童护 Tonghu command line."""
    from flask.cli import ScriptInfo
    from . import create_app
    ctx.obj = ScriptInfo(create_app=create_app)


for _command in COMMANDS + [serve_command, worker_command]:
    main.add_command(_command)

if __name__ == "__main__":
    sys.exit(main())
