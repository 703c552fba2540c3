"""What every view needs: the request's session, the engine, the clock, the current user."""
from flask import current_app, request

from .. import db
from ..services import audit, cases


def session():
    return db.session()


def engine():
    return current_app.extensions["tonghu.engine"]


def now():
    return engine().clock.now()


def remote_addr() -> str | None:
    return request.remote_addr


def audit_read(user, action: str, target: str, *, child_id: int | None, case=None, **detail) -> None:
    """Record that this request shows `user` a child's personal data (who, office, when, from where, what).

    A private procedure's case needs nothing more: `services.cases` has recorded its stricter
    `psych.read` entry when it let the user in.
    """
    if case is not None and cases.is_private(case):
        return
    detail["via"] = "api" if request.blueprint == "api" else "web"
    audit.record_read(session(), user, action, target, child_id=child_id, detail=detail, now=now(),
                      remote_addr=remote_addr())
