"""`tonghu check`, `deploy`, `scenarios export` and `trace`: procedures' files checked, deployed,
their scenarios exported and their clauses traced."""
import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import cli_shared as shared


@click.command("check")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def check_command(path):
    """Validate BPMN/DMN files without deploying them."""
    from .services.checks import check_report
    from .services.variants import shipped
    files, forms = shared.read_processes(path), shared.forms()
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
    shared.require_schema()
    with shared.session() as session:
        try:
            files, now = shared.read_processes(path), shared.engine().clock.now()
            if region_prefix:  # the files laid over the national ones; only the procedures they touch
                base = variants.national_files(session, shared.read_processes(current_app.config["PROCESSES_DIR"]))
                deployed = variants.deploy_variant(session, region_prefix, files, base, shared.forms(), now)
            else:
                deployed = deploy(session, files, shared.forms(), now)
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
    shared.require_schema()
    directory = directory or Path(current_app.config.get("FEATURES_DIR") or ROOT / "features")
    directory.mkdir(parents=True, exist_ok=True)
    with shared.session() as session:
        written = saved.export(session, directory)
    for path in written:
        click.echo(f"已导出 {path}")
    if not written:
        click.echo("没有在浏览器中保存的场景")


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
