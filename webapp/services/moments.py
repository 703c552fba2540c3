"""Dates and moments in form data. A moment (JSON Schema `format: date-time`) is RFC 3339 with its
offset in the data and the browser's datetime-local input in Beijing time, e.g. when the police
accepted a report (hours count); a date rule reads a moment's Beijing date."""
import re
from datetime import date, datetime

from ..engine.clock import LOCAL_TZ, local_date

MOMENT_FORMAT = "date-time"
_ISO_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LOCAL_INPUT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?")


def as_moment(value) -> datetime | None:
    """An RFC 3339 moment with its offset (or Z) as an aware datetime; else None."""
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        moment.astimezone(LOCAL_TZ)  # its Beijing date must exist (not 9999-12-31T23:00-10:00, year 10000 there)
        return moment
    except (ValueError, OverflowError):
        return None


def beijing_input(value) -> str | None:
    """A moment as the browser's datetime-local value in Beijing time (2026-11-20T14:30)."""
    moment = as_moment(value)
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M") if moment else None


def from_beijing_input(value: str) -> str:
    """A datetime-local value (no offset: Beijing time) as an RFC 3339 moment; anything else as given."""
    try:
        if _LOCAL_INPUT.fullmatch(value):
            return datetime.fromisoformat(value).replace(tzinfo=LOCAL_TZ).isoformat()
    except ValueError:
        pass
    return value


def as_date(value) -> date | None:
    """An ISO date, or the Beijing date of an RFC 3339 moment; else None."""
    if not isinstance(value, str):
        return None
    if not _ISO_DATE.fullmatch(value):
        moment = as_moment(value)
        return local_date(moment) if moment else None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def years_before(day: date, years: int) -> date:
    if not 0 < day.year - years <= 9999:
        return date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
