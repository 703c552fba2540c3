"""Log in and out of the web UI, change one's password; each login is a server-side session."""
from urllib.parse import urlsplit

from flask import (Blueprint, current_app, flash, redirect, render_template, request, session as cookie,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import login_manager
from ..models import User
from ..security import login_policy, security_now
from ..services import accounts, audit, login as logins, sessions
from ..services.errors import Invalid
from .common import now, remote_addr, session

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    """The user of this cookie's server-side session; None (the login page) once it has ended."""
    secret = cookie.get("sid")
    if not isinstance(secret, str):
        return None
    s = session()
    config = current_app.config
    user = sessions.resolve(s, secret, "web", security_now(), max_age=config["PERMANENT_SESSION_LIFETIME"],
                            idle=config["SESSION_IDLE_TIMEOUT"])
    if s.dirty:  # last seen (at most once a minute), or the end of an idle session; nothing else is pending
        s.commit()  # this early. Otherwise the page goes on in the same transaction (a commit, a new
        # checkout and its ping were three round trips to PostgreSQL on every page)
    if user is None or str(user.id) != str(user_id):
        return None
    return user


@bp.before_app_request
def _load_session_first():
    """Check the session before any view work, so `load_user` commits nothing of the view's."""
    if request.blueprint != "api" and request.endpoint != "static":
        current_user._get_current_object()


def throttled_page(retry_after: int, template: str, status: int = 429, **context):
    minutes = max(1, -(-retry_after // 60))
    flash(_("Too many failed attempts. Please try again in %(minutes)s minutes.", minutes=minutes), "error")
    response = current_app.make_response((render_template(template, **context), status))
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        s = session()
        outcome = logins.attempt(s, login_policy(), username, request.form.get("password", ""),
                                 now=security_now(), audit_now=now(), remote_addr=remote_addr(), via="web")
        if outcome.user is None:
            s.commit()
            if outcome.throttled:
                return throttled_page(outcome.retry_after, "auth/login.html", username=username)
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", username=username), 401
        _start_web_session(outcome.user)
        audit.record(s, now(), outcome.user, "login", None, None, remote_addr())
        s.commit()
        target = request.args.get("next", "")
        if target in ("", "/") or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
            target = landing_page(outcome.user)  # the bare task list (`next=/`) is no choice of the user
        return redirect(target)
    return render_template("auth/login.html", username="")


def landing_page(user) -> str:
    """Where a sign-in lands: admins on administration, designers on the designer, officials on their tasks."""
    if user.is_admin:
        return url_for("admin.index")
    if user.is_designer:
        return url_for("designer.index")
    if user.is_tester:
        return url_for("scenarios.index")
    return url_for("tasks.index")


def _start_web_session(user: User) -> None:
    """A fresh cookie session bound to a new server-side row (no fixation of an older one);
    the CSRF secret stays, so forms open in other tabs still submit."""
    csrf_secret = cookie.get("csrf_token")
    cookie.clear()
    if csrf_secret:
        cookie["csrf_token"] = csrf_secret
    cookie["sid"] = sessions.open_session(session(), user, "web", security_now(), remote_addr())
    cookie.permanent = True
    login_user(user)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    s = session()
    audit.record(s, now(), current_user, "logout", None, None, remote_addr())
    sessions.revoke(s, cookie.get("sid", ""), security_now(), "logout")
    s.commit()
    logout_user()
    cookie.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password: the current one is checked (and throttled like a login);
    every other session and API token of the account ends."""
    errors, status = {}, 200
    if request.method == "POST":
        s = session()
        user = s.get(User, current_user.id)
        outcome = logins.attempt(s, login_policy(), user.username,
                                 request.form.get("current_password", ""), now=security_now(), audit_now=now(),
                                 remote_addr=remote_addr(), via="password_change")
        if outcome.throttled:
            s.commit()
            return throttled_page(outcome.retry_after, "auth/password.html", errors={})
        if outcome.user is None:
            s.commit()
            errors, status = {"current_password": _("The current password is wrong.")}, 422
        else:
            try:
                accounts.change_password(s, user, request.form.get("new_password", ""),
                                         request.form.get("confirm_password", ""), security_now())
            except Invalid as err:
                s.rollback()
                errors, status = err.errors, 422
            else:
                audit.record(s, now(), user, "password.change", f"user:{user.username}", None, remote_addr())
                _start_web_session(user)
                s.commit()
                flash(_("Your password is changed. Your other sessions and API tokens have ended."), "success")
                return redirect(url_for("tasks.index"))
        if errors:
            flash(_("The password is not changed."), "error")
    return render_template("auth/password.html", errors=errors), status
