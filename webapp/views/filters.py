"""Template filters and globals every page uses: dates in the user's time zone, the clock's now, region choices."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_datetime

from .common import now

# The two all-digit patterns lists use, formatted without Babel's per-call pattern machinery
# and context lookups (a 50-row page formats 100 dates); same result: the user's time zone (the
# app's, `BABEL_DEFAULT_TIMEZONE`: there is no per-user one), naive values read as UTC as Babel does.
_FAST = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "yyyy-MM-dd": "%Y-%m-%d"}
_ZONES: dict[str, ZoneInfo] = {}


def format_dt(value, pattern="yyyy-MM-dd HH:mm", zone: ZoneInfo | None = None):
    if not value:
        return ""
    if pattern in _FAST and isinstance(value, datetime):
        zone = zone or _zone(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(zone).strftime(_FAST[pattern])
    return format_datetime(value, pattern)


def _zone(name: str) -> ZoneInfo:
    if name not in _ZONES:
        _ZONES[name] = ZoneInfo(name)
    return _ZONES[name]


def region_choices(regions) -> list[tuple[str, str]]:
    """Regions as (code, "name（code）") for a select."""
    return [(r.code, f"{r.name}（{r.code}）") for r in regions]


def init_app(app: Flask) -> None:
    app.add_template_global(region_choices)
    zone = _zone(app.config["BABEL_DEFAULT_TIMEZONE"])
    app.add_template_filter(lambda value, pattern="yyyy-MM-dd HH:mm": format_dt(value, pattern, zone), "dt")
    app.add_template_filter(lambda value: format_dt(value, "yyyy-MM-dd", zone), "d")
    app.context_processor(lambda: {"now": now()})
