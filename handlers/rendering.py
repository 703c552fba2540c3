"""The one home of document rendering: Jinja templates in handlers/templates/documents/.

Handlers sit below the web app and never import Flask, so they get an environment of their
own. Autoescape is on, so every value from task data is escaped by the template and no
handler builds markup; StrictUndefined turns a misspelt variable into an error instead of a
silently blank line on a filed document; `None` prints as nothing, never as "None".
"""
from datetime import datetime, timezone

from jinja2 import Environment, PackageLoader, StrictUndefined

from .dates import LOCAL_TZ
from .registry import HandlerContext


def beijing_time(moment: datetime) -> str:
    """'YYYY-MM-DD HH:MM' in China time; a naive moment is taken as UTC, the engine clock's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return f"{moment.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}"


def text_lines(text) -> list[str]:
    """The non-blank lines of a free-text answer, each to become its own paragraph."""
    return [line for line in ("" if text is None else str(text)).splitlines() if line.strip()]


environment = Environment(
    loader=PackageLoader("handlers", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    finalize=lambda value: "" if value is None else value,
)
environment.filters["beijing_time"] = beijing_time
environment.filters["lines"] = text_lines


def render_document(template: str, **context) -> str:
    """Render `documents/<template>` with `context`; the result is HTML safe to file on a case."""
    return environment.get_template(f"documents/{template}").render(**context)


def render_for(ctx: HandlerContext, template: str, **context) -> str:
    """Render a document of this case: every template also reads `data`, `child` and `now`."""
    child = ctx.data.get("child")
    return render_document(template, data=ctx.data, child=child if isinstance(child, dict) else {}, now=ctx.now,
                           **context)
