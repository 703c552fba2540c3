"""Log in and out of the web UI."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session as cookie, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import login_manager
from ..models import User
from ..services import accounts, audit
from .common import now, remote_addr, session

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    return session().get(User, int(user_id))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = accounts.authenticate(session(), request.form.get("username", "").strip(), request.form.get("password", ""))
        if user is None:
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", username=request.form.get("username", "")), 401
        cookie.permanent = True
        login_user(user)
        audit.record(session(), now(), user, "login", None, None, remote_addr())
        session().commit()
        target = request.args.get("next", "")
        if not target.startswith("/") or urlsplit(target).netloc:
            target = url_for("tasks.index")
        return redirect(target)
    return render_template("auth/login.html", username="")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.record(session(), now(), current_user, "logout", None, None, remote_addr())
    session().commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
