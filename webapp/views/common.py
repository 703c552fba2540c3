"""What every view needs: the request's session, the engine, the clock, the current user."""
from flask import current_app, request

from .. import db


def session():
    return db.session()


def engine():
    return current_app.extensions["tonghu.engine"]


def now():
    return engine().clock.now()


def remote_addr() -> str | None:
    return request.remote_addr
