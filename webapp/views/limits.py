"""App-wide bounds on what a request may carry: ids that fit the database, JSON of sane depth.

Registered before the blueprints, so every `<int:…>` of the web UI and the API gets the
bounded converter: an id beyond a signed 64-bit integer (what SQLite and PostgreSQL store)
is a 404 like any unknown id, never an overflow inside the database driver. The body size
limit is Flask's `MAX_CONTENT_LENGTH` (config.py); its 413 is answered by the error handlers.
"""
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from .. import jsonlimits

ID_MAX = 2**63 - 1


def _at_most(bound: int) -> str:
    """A regex of the decimal numbers 0 … `bound` (leading zeros allowed), e.g. for 2^63 − 1:
    up to 18 digits, or 19 digits not above it."""
    digits = str(bound)
    shorter = rf"[0-9]{{1,{len(digits) - 1}}}"  # ASCII digits only: `\d` takes "١" (Arabic-Indic one) as 1
    same_length = [digits] + [digits[:i] + f"[0-{int(d) - 1}]" + rf"[0-9]{{{len(digits) - i - 1}}}"
                              for i, d in enumerate(digits) if d != "0"]
    return "0*(?:" + "|".join([shorter, *same_length]) + ")"


class Int64Converter(IntegerConverter):
    """`<int:…>` bounded to the ids a database row can have (0 … 2^63 − 1).

    The bound is in the regex, not only in `to_python`: Werkzeug answers a value its
    converter rejects with 405 when a sibling rule takes another method (GET /tasks/<id>
    beside POST /tasks/<id>), and an unknown id must be a 404 like any other.
    """

    regex = _at_most(ID_MAX)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False):
        low = -ID_MAX - 1 if min is None or min < -ID_MAX - 1 else min
        high = ID_MAX if max is None or max > ID_MAX else max
        super().__init__(map, fixed_digits, low, high, signed)

    @property
    def signed_regex(self) -> str:
        return f"-?(?:{self.regex})"


class BoundedJSONProvider(DefaultJSONProvider):
    """Request bodies parse through `jsonlimits.loads`: too deep is malformed (400), not a crash."""

    def loads(self, s, **kwargs):
        return jsonlimits.loads(s, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = Int64Converter
    app.json = BoundedJSONProvider(app)
