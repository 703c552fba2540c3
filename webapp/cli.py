"""The `tonghu` command: demo data, serve, worker, deploy, check, timers, db. All honour DATABASE_URL.

The commands live by concern: `cli_procedures` (check, deploy, scenarios, trace), `cli_cases`
(demo data, timers), `cli_serve` (serve, worker), `cli_db` (db); this module gathers them.
"""
import sys

import click
from flask import Flask

from .cli_cases import demo_data_command, timers_group
from .cli_db import db_group
from .cli_procedures import check_command, deploy_command, scenarios_group, trace_command
from .cli_serve import serve_command, worker_command

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
