"""What every view needs: the request's session, the engine, the clock, the login guard, a small form's action."""
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request
from flask_login import current_user

from .. import db, login_manager
from ..services import audit, cases
from ..services.errors import DesignError, Forbidden, Invalid, NotFound, ServiceError
from .errors import service_error_page


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


def record_design_error(err: DesignError, user) -> None:
    """Log and audit that a procedure's design failed under `user` (after the rollback of the
    request's own work, so only this entry is committed): administrators read it in the audit
    log, designers on the procedure's page."""
    s = session()
    s.rollback()
    current_app.logger.error("Procedure %s v%s failed at element %s (case %s, task %s): %s", err.extra["process_id"],
                             err.extra["version"], err.extra["element"], err.audit.get("case"), err.audit.get("task"),
                             err.audit.get("error"))
    audit.record(s, now(), user, "engine.design_error", f"process:{err.extra['process_id']}", err.audit, remote_addr())
    s.commit()


def require_login():
    """`before_request` of the web blueprints: everything but /login needs a session."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()


def back(default: str):
    """Where a small POST form asked to return (a local path only)."""
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return redirect(default)
    return redirect(target)


def admins_only():
    """`before_request` of the admin blueprints: signed in, and an administrator."""
    refused = require_login()
    if refused is not None:
        return refused
    if not current_user.is_admin:
        abort(403)


def form_action(action, then, message: str | None = None):
    """A small POST form's work (claim a task, record a move…): run `action`, commit and flash
    success (the action's own message, else `message`), then answer `then()`. A refusal rolls
    back and is flashed on the way back; a forbidden or unknown target is the error page."""
    s = session()
    try:
        said = action()
        s.commit()
    except (Forbidden, NotFound) as err:
        return service_error_page(err)
    except Invalid as err:
        s.rollback()
        flash("；".join(err.errors.values()), "error")
    except ServiceError as err:
        s.rollback()
        flash(err.message, "error")
    else:
        flash(said if isinstance(said, str) else message, "success")
    return then()
