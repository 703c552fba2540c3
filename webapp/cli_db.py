"""`tonghu db`: the schema's migrations (Alembic, shipped in webapp/migrations/) and SQLite backups."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import schema

# `tonghu db downgrade -1`: a negative step is an argument, not an option.
ARGUMENTS = {"ignore_unknown_options": True}


def _engine():
    return current_app.extensions["tonghu.sessionmaker"].kw["bind"]


def _label(revision: str | None) -> str:
    return f"{revision}（最新）" if revision and revision == schema.head() else (revision or "无（空数据库）")


def _guarded(action, *args):
    try:
        return action(*args)
    except schema.SchemaError as err:
        raise click.ClickException(str(err)) from None


@click.group("db")
def db_group():
    """Database schema: upgrade, current, downgrade, history, check, revision, backup."""


@db_group.command("upgrade", context_settings=ARGUMENTS)
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision):
    """Migrate the database to REVISION (default: the newest); rows are kept."""
    before = schema.current(_engine())
    _guarded(schema.upgrade, _engine(), revision)
    after = schema.current(_engine())
    click.echo(f"数据库结构：{_label(before)} → {_label(after)}" if before != after else f"数据库结构已是 {_label(after)}")


@db_group.command("downgrade", context_settings=ARGUMENTS)
@click.argument("revision", default="-1")
@with_appcontext
def downgrade_command(revision):
    """Step back to REVISION (default -1: one revision). Back up first: a step back may drop columns."""
    before = schema.current(_engine())
    _guarded(schema.downgrade, _engine(), revision)
    click.echo(f"数据库结构：{_label(before)} → {_label(schema.current(_engine()))}")


@db_group.command("current")
@with_appcontext
def current_command():
    """The revision the database is at."""
    click.echo(_label(schema.current(_engine())))


@db_group.command("history")
def history_command():
    """Every revision, newest first."""
    for revision, down, message in schema.history():
        click.echo(f"{revision}  ← {down or '—'}  {message}")


@db_group.command("check")
@with_appcontext
def check_command():
    """Exit non-zero when the models hold changes no migration has (run on a database at head)."""
    if schema.current(_engine()) != schema.head():
        raise click.ClickException("请先把这个数据库升级到最新（tonghu db upgrade）")
    diff = schema.differences(_engine())
    for item in diff:
        click.echo(f"  {item}", err=True)
    if diff:
        raise click.ClickException(f"模型与迁移不一致（{len(diff)} 处）：运行 tonghu db revision -m '说明' 生成迁移")
    click.echo("模型与迁移一致")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="what the revision changes")
@with_appcontext
def revision_command(message):
    """Write a new migration from what the models add (autogenerate), for review and commit."""
    path = _guarded(schema.revision, _engine(), message)
    click.echo(f"已生成迁移：{path}（请检查后提交）")


@db_group.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(path):
    """Copy a SQLite database to PATH with SQLite's online backup (safe while the app runs)."""
    _guarded(schema.backup, _engine(), path)
    click.echo(f"已备份到 {path}")
