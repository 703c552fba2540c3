"""What the `tonghu` commands share: the app's session and engine, the schema check, reading
BPMN/DMN files and the forms."""
from pathlib import Path

import click
from flask import current_app


def session():
    return current_app.extensions["tonghu.sessionmaker"]()


def engine():
    return current_app.extensions["tonghu.engine"]


def require_schema():
    """The commands that read or write cases run on a migrated database only."""
    from .readiness import schema_problem
    problem = schema_problem(current_app.extensions["tonghu.sessionmaker"].kw["bind"])
    if problem:
        raise click.ClickException(problem)


def read_processes(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.iterdir()
                                                 if p.suffix in (".bpmn", ".dmn") or p.name.endswith(".bpmn20.xml"))
    if not files:
        raise click.ClickException(f"{path} 中没有 BPMN/DMN 文件")
    try:
        return {p.name: p.read_text(encoding="utf-8") for p in files}
    except (UnicodeDecodeError, OSError) as err:
        raise click.ClickException(f"无法读取文件（需要 UTF-8 编码的 BPMN/DMN）：{err}") from None


def forms():
    from .services.forms import load_forms
    return load_forms(current_app.config["FORMS_DIR"])
