"""`tonghu demo-data` and `timers fire|status`: demo cases and timers from the command line."""
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from . import cli_shared as shared, db


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
        now = shared.engine().clock.now()
        accounts = demo.load(session, now)
        files = shared.read_processes(current_app.config["PROCESSES_DIR"])
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
    engine = shared.engine()
    engine.clock.travel_to(moment)
    if engine.clock.now() > moment + timedelta(seconds=5):
        click.echo(f"注意：{as_of} 已经过去，时间不会倒退，按当前时间 {engine.clock.now():%Y-%m-%d %H:%M} UTC 触发", err=True)
    shared.require_schema()
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
    shared.require_schema()
    factory = current_app.extensions["tonghu.sessionmaker"]
    now = shared.engine().clock.now()
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
