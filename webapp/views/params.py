"""Numbers and dates from a query string or a small form, read one way everywhere.

A value a person or a script typed is never trusted: only ASCII digits count (`"²".isdigit()`
is true but `int("²")` raises; `"١"` is an Arabic-Indic one), an id fits a database row, and a
date leaves room for the day after it. A bad value is None (the caller says so in Chinese, or
answers 422); it never reaches `int()` or the database to become a 500."""
from datetime import date

from flask import flash, request
from flask_babel import gettext as _

from ..services import tasklists
from ..services.errors import Invalid
from .limits import ID_MAX

# The day after `until` and the day before `since` are computed: keep one day free at each end.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(9998, 12, 31)


def whole_number(raw, *, most: int = ID_MAX) -> int | None:
    """`raw` as a whole number from 1 to `most` (ASCII digits only), else None."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(most)):
        return None
    value = int(text)
    return value if 0 < value <= most else None


def day(raw) -> date | None:
    """`raw` as a YYYY-MM-DD date between 1900 and 9998, else None."""
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or len(text) != 10:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None
    return value if DATE_MIN <= value <= DATE_MAX else None


def web_page() -> tuple[int, int]:
    """`?page=` and `?per_page=` of a web list; a bad value is said in Chinese and the first page shown."""
    try:
        return tasklists.page_params(request.args.get("page"), request.args.get("per_page"))
    except Invalid:
        flash(_("The page number must be a positive whole number; showing the first page."), "error")
        return 1, tasklists.PER_PAGE
